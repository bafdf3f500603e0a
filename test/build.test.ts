import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '..');
const ENSURE_BUILT = `const { ensureBuilt } = await import('./scripts/build.mjs'); await ensureBuilt();`;

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
 * or `npm run deploy-commands` beside the bot) must each start, on one build made by one of them.
 */
describe('scripts/build.mjs', () => {
  let tree: string;
  const lock = (): string => join(tree, 'dist.lock');
  /** One line per tsc run in the tree, written by the tree's tsc (below). */
  const builds = (): number => (existsSync(join(tree, 'builds.log')) ? readFileSync(join(tree, 'builds.log'), 'utf8').split('\n').length - 1 : 0);

  beforeAll(() => {
    // A copy of what the build reads, so that this test's builds never touch the checkout's dist/.
    tree = mkdtempSync(join(tmpdir(), 'scribe-build-'));
    for (const entry of ['src', 'commands', 'scripts/build.mjs', 'scripts/bench/bare-bot.ts', 'scripts/bench/intl-probe.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) {
      cpSync(join(REPO, entry), join(tree, entry), { recursive: true });
    }
    // The checkout's packages, but a tsc that logs each run before it runs the real one.
    mkdirSync(join(tree, 'node_modules', 'typescript', 'bin'), { recursive: true });
    for (const name of readdirSync(join(REPO, 'node_modules'))) {
      if (name !== 'typescript') symlinkSync(join(REPO, 'node_modules', name), join(tree, 'node_modules', name));
    }
    writeFileSync(join(tree, 'node_modules', 'typescript', 'package.json'), '{ "name": "typescript", "type": "commonjs" }\n');
    writeFileSync(
      join(tree, 'node_modules', 'typescript', 'bin', 'tsc'),
      `require('node:fs').appendFileSync(${JSON.stringify(join(tree, 'builds.log'))}, process.pid + '\\n');\n` +
        `require(${JSON.stringify(join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'))});\n`,
    );
  });
  beforeEach(() => {
    rmSync(join(tree, 'dist'), { recursive: true, force: true });
    rmSync(join(tree, 'builds.log'), { force: true });
  });
  afterAll(() => {
    rmSync(tree, { recursive: true, force: true });
  });

  /** Starts `n` processes together, each waiting for dist/ and then loading a module from it. */
  async function startTogether(n: number): Promise<void> {
    const results = await Promise.all(
      Array.from({ length: n }, () => runModule(tree, `${ENSURE_BUILT} await import('./dist/src/notes/render.js');`)),
    );
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(existsSync(join(tree, 'dist', '.built'))).toBe(true);
    // No staging directory, lock or lock set aside left behind.
    expect(readdirSync(tree).filter((name) => name.startsWith('dist'))).toEqual(['dist']);
  }

  it('builds once for processes that find dist/ stale at the same moment, and each of them starts', async () => {
    await startTogether(4);
    expect(builds()).toBe(1);
  }, 60_000);

  it('builds once when processes find a dead build’s lock together, and each of them starts', async () => {
    // No process has this pid: Linux's pids stop at 2^22.
    writeFileSync(lock(), '4194305 left-over\n');
    await startTogether(4);
    expect(builds()).toBe(1);
  }, 60_000);

  it.each([
    ['whose process has ended', () => '4194305', 0],
    // This test's own process runs, but no build takes three minutes: the pid has been reused.
    ['older than any build', () => String(process.pid), 180_000],
  ])('takes over a lock %s', async (_, pid, ageMs) => {
    writeFileSync(lock(), `${pid()} left-over\n`);
    const then = new Date(Date.now() - ageMs);
    utimesSync(lock(), then, then);
    const result = await runModule(tree, ENSURE_BUILT);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(builds()).toBe(1);
    expect(existsSync(lock())).toBe(false);
  }, 60_000);

  it('takes over a lock that holds its own pid (a container’s pid 1 at its next start)', async () => {
    const result = await runModule(tree, `(await import('node:fs')).writeFileSync('dist.lock', process.pid + ' left-over\\n'); ${ENSURE_BUILT}`);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(builds()).toBe(1);
  }, 60_000);

  it('waits for a lock whose process runs, then builds', async () => {
    writeFileSync(lock(), `${process.pid} running\n`);
    let ended = false;
    const run = runModule(tree, ENSURE_BUILT).finally(() => {
      ended = true;
    });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(ended).toBe(false);
    expect(builds()).toBe(0);
    rmSync(lock());
    const result = await run;
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(builds()).toBe(1);
  }, 60_000);
});
