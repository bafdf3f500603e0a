/**
 * A bot under test as a child process of its own, so /proc/<pid>/status gives its own resident memory.
 * Its output goes to a file rather than a pipe: this process is also the emulator, which takes every
 * timestamp, and should not spend its time reading the chattier bot's log lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

const READY_POLL_MS = 20;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A bare "ready" line (the bare bot), or a pino JSON line whose msg is "ready" (Scribe). */
export function isReadyLine(line: string): boolean {
  if (line.trim() === 'ready') return true;
  return parseJsonLine(line)?.['msg'] === 'ready';
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class BotProcess {
  readonly child: ChildProcess;
  readonly #logPath: string;
  readonly #spawnedAt = performance.now();
  /** The same instant on the wall clock, for pino's `time` on the bot's lines. */
  readonly spawnedAtEpochMs = Date.now();
  readonly #exited: Promise<void>;
  #running = true;

  constructor(args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logPath: string }) {
    this.#logPath = opts.logPath;
    const out = openSync(opts.logPath, 'w');
    try {
      this.child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', out, out] });
    } finally {
      closeSync(out); // the child has its own copy
    }
    this.#exited = new Promise((resolve) => this.child.once('close', () => resolve()));
    void this.#exited.then(() => (this.#running = false));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the bot has no pid');
    return this.child.pid;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Spawn → "ready" line (or the first line `isReady` accepts), in ms; throws when the bot exits first or `timeoutMs` passes. */
  async waitReady(timeoutMs: number, isReady: (line: string) => boolean = isReadyLine): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      // Read whole: before ready, the log is a few lines.
      if (this.#lines().some(isReady)) return performance.now() - this.#spawnedAt;
      if (!this.#running) throw new Error(`the bot exited before it was ready:\n${this.tail()}`);
      if (performance.now() > deadline) throw new Error(`the bot was not ready within ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(READY_POLL_MS);
    }
  }

  /** Resident memory: the median of 5 readings 200 ms apart (one reading is at the mercy of a GC in flight). */
  async residentKiB(): Promise<number> {
    const values: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      if (i > 0) await sleep(200);
      const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      if (!match?.[1]) throw new Error(`no VmRSS in /proc/${this.pid}/status`);
      values.push(Number(match[1]));
    }
    return values.sort((a, b) => a - b)[2] ?? Number.NaN;
  }

  /** Spawn → the pino `time` of the first line whose msg is `msg`; undefined when there is none. */
  loggedAfterMs(msg: string): number | undefined {
    const line = this.#lines()
      .map(parseJsonLine)
      .find((l) => l?.['msg'] === msg);
    const time = line?.['time'];
    return typeof time === 'number' ? time - this.spawnedAtEpochMs : undefined;
  }

  /** Log lines at pino's warn level or above. */
  problemLines(): number {
    return this.#lines().filter((line) => Number(parseJsonLine(line)?.['level']) >= 40).length;
  }

  tail(lines = 15): string {
    return (
      this.#lines()
        .slice(-lines)
        .map((l) => `    | ${l.slice(0, 500)}`)
        .join('\n') || '    | (no output)'
    );
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.#running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #lines(): string[] {
    return readFileSync(this.#logPath, 'utf8').split('\n');
  }
}
