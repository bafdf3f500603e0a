import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '..');
const run = promisify(execFile);

/** Runs `node ARGS` in `cwd`; resolves with its exit code and output, whatever the code. */
async function node(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm run build (scripts/build.mjs) and bin/scribe.mjs', () => {
  let tree: string;

  beforeAll(() => {
    // A copy of what the build reads, so that these builds never touch the checkout's dist/.
    tree = mkdtempSync(join(tmpdir(), 'scribe-build-'));
    for (const entry of ['src', 'commands', 'bin', 'scripts/build.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) {
      cpSync(join(REPO, entry), join(tree, entry), { recursive: true });
    }
    symlinkSync(join(REPO, 'node_modules'), join(tree, 'node_modules'));
  });
  afterAll(() => {
    rmSync(tree, { recursive: true, force: true });
  });

  it('bin/scribe.mjs says to build first when dist/ is missing', async () => {
    rmSync(join(tree, 'dist'), { recursive: true, force: true });
    const result = await node(tree, ['bin/scribe.mjs', '--help']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm run build');
  });

  it('builds src/ and commands/ only, drops what an earlier build left of a deleted command, and the CLI runs', async () => {
    // What a build made before commands/extra.ts was deleted.
    mkdirSync(join(tree, 'dist', 'commands'), { recursive: true });
    writeFileSync(join(tree, 'dist', 'commands', 'extra.js'), 'export const data = { name: "extra" };\n');
    expect(await node(tree, ['scripts/build.mjs'])).toMatchObject({ code: 0 });
    expect(readdirSync(join(tree, 'dist')).sort()).toEqual(['commands', 'src']);
    expect(readdirSync(tree).filter((name) => name.startsWith('dist'))).toEqual(['dist']);
    expect(existsSync(join(tree, 'dist', 'commands', 'extra.js'))).toBe(false);
    expect(existsSync(join(tree, 'dist', 'commands', 'update.js'))).toBe(true);
    const help = await node(tree, ['bin/scribe.mjs', '--help']);
    expect(help, help.stderr).toMatchObject({ code: 0 });
    expect(help.stdout).toMatch(/usage: scribe <command>[\s\S]*deploy-commands/);
  }, 60_000);
});
