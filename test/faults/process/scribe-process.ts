/**
 * Scribe as a real process against the emulator: `node bin/scribe.mjs start` in a child process with
 * its own SQLite file and config YAML, so it can be SIGKILLed at a chosen point and started again on
 * the same store. The emulator runs in the test process; a delayed route holds a Discord call in
 * flight while the child is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REST, Routes } from 'discord.js';
import { stringify } from 'yaml';
import { loadCommands } from '../../../src/discord/load-commands.ts';
import { startEmulator, type Emulator, type SeededGuild, type StoredMessage } from '../../emulator/index.ts';
import type { RecordedRequest } from '../../emulator/core.ts';
import type { RouteRequest } from '../../emulator/faults.ts';
import { assertOnlyExpectedRefusals, type ExpectedRefusal } from '../../bot/refusals.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const SCRIBE_BIN = join(REPO_ROOT, 'bin', 'scribe.mjs');

export interface SeriesOverrides {
  readonly open?: string;
  readonly durationMinutes?: number;
  readonly timeZone?: string;
  /** Further series keys (e.g. `template: discussion` and its title). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface World {
  readonly emu: Emulator;
  readonly guild: SeededGuild;
  readonly dir: string;
  readonly storeUrl: string;
  readonly configPath: string;
  /** Every process started in this world, oldest first. */
  readonly processes: ScribeProcess[];
  /** Starts `scribe start` and waits for its "ready" line; `env` overrides Scribe's variables. */
  start(options?: { logLevel?: string; env?: Record<string, string> }): Promise<ScribeProcess>;
  /** The one live process (the newest). */
  readonly live: ScribeProcess;
  /** Declares a refusal (a violation the emulator records) that the test provokes on purpose; close() requires it to have happened. */
  expectRefusal(expected: ExpectedRefusal): void;
  /** Kills the processes, then fails when the emulator recorded a violation not declared, or a declared one did not happen. */
  close(): Promise<void>;
}

/**
 * A fixed-offset zone in which it is now around midday, so that a meeting opened during the test
 * never crosses a local midnight (its key is the local date).
 */
export function middayZone(now = new Date()): string {
  const offset = Math.max(-12, Math.min(12, 12 - now.getUTCHours()));
  // Etc/GMT zones have inverted signs: Etc/GMT-3 is UTC+3.
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/**
 * An emulator with the seeded guild, the commands registered, and a config whose one series opens
 * every minute (so a meeting window is open whenever the bot starts) unless overridden.
 */
export async function startWorld(series: SeriesOverrides = {}): Promise<World> {
  const emu = await startEmulator({ heartbeatIntervalMs: 2_000 });
  const guild = emu.seedGuild({ voice: false });
  const dir = mkdtempSync(join(tmpdir(), 'scribe-process-'));
  const storeUrl = `sqlite://${join(dir, 'scribe.sqlite')}`;
  const configPath = join(dir, 'scribe.yaml');
  writeFileSync(
    configPath,
    stringify({
      series: [
        {
          id: 'hackathon',
          guild: guild.guildId,
          voiceChannel: guild.voiceChannelId,
          textChannel: guild.textChannelId,
          timeZone: series.timeZone ?? middayZone(),
          open: series.open ?? '* * * * *',
          durationMinutes: series.durationMinutes ?? 120,
          threadName: 'Hackathon {yyyy}-{mm}-{dd}',
          teams: ['community'],
          location: 'Online, Discord, the `#{voiceChannelName}` voice channel',
          maintainerRoles: [guild.maintainerRoleId],
          minPresenceMinutes: 5,
          notesPath: 'hackathons/{yyyy}/{yyyy}-{mm}-{dd}.md',
          ...series.extra,
        },
      ],
    }),
  );
  const rest = new REST({ api: emu.restUrl }).setToken(emu.token);
  await rest.put(Routes.applicationGuildCommands(emu.applicationId, guild.guildId), { body: (await loadCommands()).map((m) => m.data) });

  const processes: ScribeProcess[] = [];
  const expected: ExpectedRefusal[] = [];
  const world: World = {
    emu,
    guild,
    dir,
    storeUrl,
    configPath,
    processes,
    async start(options = {}) {
      const previous = processes.at(-1);
      if (previous && previous.exitCode === undefined) throw new Error('a Scribe process is still running in this world');
      const child = new ScribeProcess(
        {
          DISCORD_TOKEN: emu.token,
          DISCORD_API_URL: emu.restUrl,
          STORE_URL: storeUrl,
          SCRIBE_CONFIG: configPath,
          LOG_LEVEL: options.logLevel ?? 'info',
          ...options.env,
        },
        dir,
      );
      processes.push(child);
      await child.ready;
      return child;
    },
    get live() {
      const last = processes.at(-1);
      if (!last || last.exitCode !== undefined) throw new Error('no live Scribe process');
      return last;
    },
    expectRefusal(refusal) {
      expected.push(refusal);
    },
    async close() {
      try {
        for (const p of processes) await p.kill('SIGKILL');
      } finally {
        await emu.close();
        rmSync(dir, { recursive: true, force: true });
      }
      assertOnlyExpectedRefusals(emu, expected);
    },
  };
  return world;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One `scribe start` child: its output, its log lines, its exit. */
export class ScribeProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly ready: Promise<void>;
  readonly exited: Promise<Exit>;
  exitCode: Exit | undefined;

  constructor(env: Record<string, string>, cwd: string) {
    // Only what the child needs: PATH for node, and Scribe's own variables (no inherited secrets, no .env).
    this.child = spawn(process.execPath, [SCRIBE_BIN, 'start'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolveExit) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = { code, signal };
        resolveExit(this.exitCode);
      });
    });
    this.ready = this.waitForLog((line) => line.msg === 'ready', 30_000);
  }

  /** Parsed pino lines written so far (non-JSON lines skipped). */
  logs(): Record<string, unknown>[] {
    const lines: Record<string, unknown>[] = [];
    for (const raw of this.stdout.split('\n')) {
      if (!raw.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(raw) as Record<string, unknown>);
      } catch {
        // A line cut by SIGKILL.
      }
    }
    return lines;
  }

  async waitForLog(pred: (line: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.logs().some(pred)) {
      if (this.exitCode !== undefined)
        throw new Error(`scribe exited (${JSON.stringify(this.exitCode)}) before the log line; stderr: ${this.stderr}\nstdout: ${this.stdout.slice(-2000)}`);
      if (Date.now() > until) throw new Error(`log line not seen within ${timeoutMs} ms; stdout: ${this.stdout.slice(-2000)}`);
      await sleep(10);
    }
  }

  /** Sends a signal (if still running) and resolves with how the process ended. */
  async kill(signal: NodeJS.Signals): Promise<Exit> {
    if (this.exitCode === undefined) this.child.kill(signal);
    return this.exited;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `check` holds; `what` names it in the failure (a function: with how far it got). */
export async function until(check: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${typeof what === 'string' ? what : what()}`);
    await sleep(10);
  }
}

/** A REST request that has arrived at the emulator and is not answered yet (held by a delay). */
export async function inFlight(emu: Emulator, pred: (r: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
  let hit: RecordedRequest | undefined;
  await until(() => (hit = emu.requests().find((r) => r.status === 0 && pred(r))) !== undefined, 'request in flight', timeoutMs);
  return hit as RecordedRequest;
}

/** Waits until the emulator has answered request `seq` (the held call is done on Discord's side). */
export function answered(emu: Emulator, request: RecordedRequest): Promise<RecordedRequest> {
  return emu.waitForRequest((r) => r.seq === request.seq, 10_000);
}

export const isThreadCreate =
  (parentId: string) =>
  (req: RouteRequest): boolean =>
    req.method === 'POST' && req.path === `/channels/${parentId}/threads`;

/** The bot's messages in a channel. */
export function botMessages(world: World, channelId: string): StoredMessage[] {
  return world.emu.messages(channelId).filter((m) => m.authorId === world.guild.botUserId);
}

/** The text of every notes file posted in a thread, oldest first. */
export function notesFiles(world: World, threadId: string): string[] {
  return world.emu
    .messages(threadId)
    .flatMap((m) => m.attachments)
    .filter((a) => a.filename.endsWith('.md'))
    .map((a) => a.text());
}
