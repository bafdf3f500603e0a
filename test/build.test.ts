import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '..');

/** Runs `code` as an ES module in `cwd`; resolves with its exit code and what it wrote to stderr. */
function runModule(cwd: string, code: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (exitCode) => done({ code: exitCode, stderr }));
  });
}

/**
 * Processes started together on a tree whose dist/ is missing or stale (two `npm start`s after a pull,
 * or `npm run deploy-commands` beside the bot) each find it stale; each must end up running a whole
 * build, and only one build may run at a time.
 */
describe('scripts/build.mjs', () => {
  let tree: string;

  beforeAll(() => {
    // A copy of what the build reads, so that this test's builds never touch the checkout's dist/.
    tree = mkdtempSync(join(tmpdir(), 'scribe-build-'));
    for (const entry of ['src', 'commands', 'scripts/build.mjs', 'scripts/bench/bare-bot.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) {
      cpSync(join(REPO, entry), join(tree, entry), { recursive: true });
    }
    symlinkSync(join(REPO, 'node_modules'), join(tree, 'node_modules'), 'dir');
  });
  afterAll(() => {
    rmSync(tree, { recursive: true, force: true });
  });

  it('lets processes that find dist/ stale at the same moment all start, on one build at a time', async () => {
    // Each build stages in dist.building-<pid>: the most seen at once is how many ran side by side.
    let mostBuilding = 0;
    const watch = setInterval(() => {
      mostBuilding = Math.max(mostBuilding, readdirSync(tree).filter((name) => name.startsWith('dist.building-')).length);
    }, 10);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        runModule(
          tree,
          `const { ensureBuilt } = await import('./scripts/build.mjs');
           const dist = await ensureBuilt();
           await import(dist + '/src/notes/render.js');`,
        ),
      ),
    );
    clearInterval(watch);
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(mostBuilding).toBe(1);
    expect(existsSync(join(tree, 'dist', '.built'))).toBe(true);
    // No staging directory or lock left behind.
    expect(readdirSync(tree).filter((name) => name.startsWith('dist'))).toEqual(['dist']);
  }, 60_000);

  it.each([
    // No process has this pid: Linux's pids stop at 2^22.
    ['whose process has ended', '4194305', 0],
    // This test's own process runs, but no build takes three minutes: the pid has been reused.
    ['older than any build', String(process.pid), 180_000],
  ])('takes over a lock %s', async (_, pid, ageMs) => {
    rmSync(join(tree, 'dist'), { recursive: true, force: true });
    const lock = join(tree, 'dist.lock');
    writeFileSync(lock, `${pid}\n`);
    const then = new Date(Date.now() - ageMs);
    utimesSync(lock, then, then);
    const result = await runModule(tree, `const { ensureBuilt } = await import('./scripts/build.mjs'); await ensureBuilt();`);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(existsSync(join(tree, 'dist', '.built'))).toBe(true);
    expect(existsSync(lock)).toBe(false);
  }, 60_000);

  it('waits for a lock whose process runs', async () => {
    rmSync(join(tree, 'dist'), { recursive: true, force: true });
    const lock = join(tree, 'dist.lock');
    writeFileSync(lock, `${process.pid}\n`);
    let ended = false;
    const run = runModule(tree, `const { ensureBuilt } = await import('./scripts/build.mjs'); await ensureBuilt();`).finally(() => {
      ended = true;
    });
    // Longer than a build takes here (about 3 s): still waiting, nothing built.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(ended).toBe(false);
    expect(existsSync(join(tree, 'dist'))).toBe(false);
    rmSync(lock);
    const result = await run;
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(existsSync(join(tree, 'dist', '.built'))).toBe(true);
  }, 60_000);
});
