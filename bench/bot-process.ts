/**
 * A bot under test as a child process: its own pid (so /proc/<pid>/status gives its own resident
 * memory), the moment it logged "ready", and the tail of its output for error messages.
 *
 * The bot's standard output goes to a file, not to a pipe into this process: this process is also the
 * emulator, whose event loop takes every timestamp, and reading a pipe would make it parse the log
 * lines of the chattier bot during the measurement (Scribe logs a line per command and per stored
 * update) and, when it fell behind, block the bot's logger on a full pipe. The file is followed only
 * until "ready", and read once more when the output is asked for. Standard error, which only problems
 * use, stays a pipe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync, watch, type FSWatcher } from 'node:fs';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';

const TAIL_LINES = 40;
/** inotify tells when the file grows; this poll is only the fallback for a missed event. */
const READY_POLL_MS = 100;

/** The complete lines appended to a file since the last read (a line still being written waits for its newline). */
export class LogFileReader {
  readonly #fd: number;
  readonly #decoder = new StringDecoder('utf8');
  #offset = 0;
  #partial = '';
  #closed = false;

  constructor(path: string) {
    this.#fd = openSync(path, 'r');
  }

  /** `final`: the writer has ended, so a last line without its newline is complete too. */
  readLines(final = false): string[] {
    if (this.#closed) return [];
    const size = fstatSync(this.#fd).size;
    let text = this.#partial;
    if (size > this.#offset) {
      const chunk = Buffer.allocUnsafe(size - this.#offset);
      const read = readSync(this.#fd, chunk, 0, chunk.length, this.#offset);
      this.#offset += read;
      text += this.#decoder.write(chunk.subarray(0, read));
    }
    if (final) text += this.#decoder.end();
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    if (final && this.#partial !== '') {
      lines.push(this.#partial);
      this.#partial = '';
    }
    return lines;
  }

  /** Later reads return nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

export class BotProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly spawnedAt: number;
  /** performance.now() when the ready line was seen. */
  readyAt: number | null = null;
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  readonly #tail: string[] = [];
  #problemLines = 0;
  readonly #exited: Promise<void>;
  readonly #ready: Promise<void>;
  readonly #log: LogFileReader;
  #markReady: () => void = () => undefined;
  #follow: { watcher: FSWatcher | null; poll: NodeJS.Timeout } | null = null;
  /** The process is gone and its output read to the end (or it never started). */
  #finished = false;

  /** `logPath`: the file the bot's standard output is written to (emptied first). */
  constructor(name: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logPath: string; nodeArgs?: string[] }) {
    this.name = name;
    const out = openSync(opts.logPath, 'w');
    try {
      this.spawnedAt = performance.now();
      this.child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', out, 'pipe'] });
    } finally {
      // The child has its own copy of the descriptor.
      closeSync(out);
    }
    this.#log = new LogFileReader(opts.logPath);
    let markReady!: () => void;
    let failReady!: (e: Error) => void;
    this.#ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    // Avoid an unhandled rejection when nobody waits for ready any more.
    this.#ready.catch(() => undefined);
    this.#markReady = markReady;
    let resolveExited!: () => void;
    this.#exited = new Promise<void>((resolve) => {
      resolveExited = resolve;
    });
    const finish = (why: string): void => {
      if (this.#finished) return;
      this.#finished = true;
      // Whatever it wrote is in the file, and its stderr drained: read it all, once.
      this.#readLog(true);
      this.#stopFollowing();
      this.#log.close();
      failReady(new Error(`${name} ${why} before it was ready:\n${this.tailText()}`));
      resolveExited();
    };
    this.child.once('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
    });
    // 'close' comes after 'exit' and after the stderr pipe has been read to its end.
    this.child.once('close', () => finish(`exited (${this.exitCode === null ? `signal ${String(this.exitSignal)}` : `code ${this.exitCode}`})`));
    this.child.once('error', (error) => {
      // Without a pid it never started, and neither 'exit' nor 'close' is sure to follow.
      if (this.child.pid === undefined) finish(`could not be started (${error.message})`);
    });
    const err = this.child.stderr;
    if (err) {
      createInterface({ input: err }).on('line', (line) => {
        this.#remember(`[stderr] ${line}`);
        this.#problemLines += 1;
      });
    }
    let watcher: FSWatcher | null = null;
    try {
      watcher = watch(opts.logPath, () => this.#readLog());
      // The poll covers for a watcher that fails.
      watcher.on('error', () => undefined);
    } catch {
      // No inotify here: the poll alone.
    }
    const poll = setInterval(() => this.#readLog(), READY_POLL_MS);
    poll.unref();
    this.#follow = { watcher, poll };
  }

  /** `final`: the process has ended, so a ready line read now does not make it ready. */
  #readLog(final = false): void {
    for (const line of this.#log.readLines(final)) {
      this.#remember(line);
      if (isProblemLine(line)) this.#problemLines += 1;
      if (this.readyAt === null && !final && isReadyLine(line)) {
        this.readyAt = performance.now();
        this.#markReady();
        // From here on the file is read only when asked for (see the comment at the top).
        this.#stopFollowing();
      }
    }
  }

  #stopFollowing(): void {
    if (!this.#follow) return;
    this.#follow.watcher?.close();
    clearInterval(this.#follow.poll);
    this.#follow = null;
  }

  #remember(line: string): void {
    this.#tail.push(line.length > 2000 ? `${line.slice(0, 2000)}…` : line);
    if (this.#tail.length > TAIL_LINES) this.#tail.shift();
  }

  /** Log lines at level warn or above (pino JSON) and stderr lines, counted so far. */
  get problemLines(): number {
    this.#readLog();
    return this.#problemLines;
  }

  tailText(lines = 15): string {
    this.#readLog();
    return this.#tail.slice(-lines).map((l) => `    | ${l}`).join('\n') || '    | (no output)';
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error(`${this.name} has no pid`);
    return pid;
  }

  get running(): boolean {
    return this.exitCode === null && this.exitSignal === null && !this.#finished;
  }

  /** Spawn → ready line, in ms; rejects if the process exits first or `timeoutMs` passes. */
  async waitReady(timeoutMs: number): Promise<number> {
    await withTimeout(this.#ready, timeoutMs, `${this.name} did not log "ready" within ${timeoutMs} ms:\n${this.tailText()}`);
    return (this.readyAt ?? Number.NaN) - this.spawnedAt;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const exited = await withTimeout(this.#exited, graceMs, '').then(() => true, () => false);
    if (!exited) {
      this.child.kill('SIGKILL');
      await this.#exited;
    }
  }
}

/** A bare "ready" line, or a pino JSON line whose msg is "ready". */
export function isReadyLine(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed === 'ready') return true;
  if (!trimmed.startsWith('{')) return false;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'object' && parsed !== null && (parsed as { msg?: unknown }).msg === 'ready';
  } catch {
    return false;
  }
}

function isProblemLine(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return typeof level === 'number' && level >= 40;
  } catch {
    return false;
  }
}

/**
 * A line of /proc/<pid>/status in KiB: VmRSS (resident), or RssAnon (its private part: the heap and
 * other allocations, without the pages of the node binary and libraries it has touched).
 */
export function residentKiB(pid: number, field: 'VmRSS' | 'RssAnon' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  if (!match?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Median of `samples` readings `intervalMs` apart (one reading is at the mercy of a GC in flight). */
export async function sampleResidentKiB(pid: number, samples = 5, intervalMs = 200, field: 'VmRSS' | 'RssAnon' = 'VmRSS'): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    if (i > 0) await sleep(intervalMs);
    values.push(residentKiB(pid, field));
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? Number.NaN;
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** USER_HZ: 100 on every Linux architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function cpuTimeMs(pid: number): number {
  return cpuTimeOfStat(`/proc/${pid}/stat`);
}

/** CPU time of one thread of a process (its main thread: `thread` = `pid`), in ms. */
export function threadCpuTimeMs(pid: number, thread: number): number {
  return cpuTimeOfStat(`/proc/${pid}/task/${thread}/stat`);
}

function cpuTimeOfStat(path: string): number {
  const stat = readFileSync(path, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** CPU time all processes have used so far (every core, idle and I/O wait excluded), in ms, from /proc/stat. */
export function systemBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Waits (up to `maxMs`) for a second in which the machine's CPU use, ours and `pids`' aside, stays under
 * `threshold` of one core, so a measurement does not start while other work runs. Returns the load seen last.
 */
export async function waitForQuiet(pids: readonly number[], maxMs: number, threshold = 0.1): Promise<number> {
  const deadline = performance.now() + maxMs;
  for (;;) {
    const start = { at: performance.now(), system: systemBusyMs(), own: process.cpuUsage(), pids: pids.map(cpuTimeMs) };
    await sleep(1000);
    const own = process.cpuUsage(start.own);
    const theirs = pids.reduce((sum, pid, i) => sum + cpuTimeMs(pid) - (start.pids[i] ?? 0), 0);
    const other = systemBusyMs() - start.system - theirs - (own.user + own.system) / 1000;
    const load = Math.max(0, other) / (performance.now() - start.at);
    if (load < threshold || performance.now() > deadline) return load;
  }
}
