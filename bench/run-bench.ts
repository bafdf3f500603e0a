/** What every benchmark script shares: the bots' environment, the commit measured, and a run that leaves no bot behind. */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Emulator } from '../test/emulator/index.ts';
import type { BotProcess } from './bot-process.ts';

export const REPO = resolve(import.meta.dirname, '..');

export function botEnv(emu: Emulator, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DISCORD_TOKEN: emu.token, DISCORD_API_URL: emu.restUrl, ...extra };
  delete env['NODE_OPTIONS']; // no TypeScript loader in the bots
  return env;
}

/** The commit measured, marked when the work tree has changes. */
export function revision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

/** Runs `main` as the process's exit code; every bot in `live` is killed however it ends, `work` removed unless kept. */
export async function runBench(
  main: () => Promise<number>,
  opts: { live: readonly BotProcess[]; work: string; keep: boolean; log: (line: string) => void },
): Promise<void> {
  const killAll = () => {
    for (const bot of opts.live) if (bot.running) bot.child.kill('SIGKILL');
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
  try {
    process.exitCode = await main();
  } finally {
    killAll();
    if (opts.keep) opts.log(`kept ${opts.work}`);
    else rmSync(opts.work, { recursive: true, force: true });
  }
}
