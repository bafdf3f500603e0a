/**
 * The end-to-end harness of test/bot, with what the fault tests need on top: any store URL (Redis or
 * Postgres behind a cuttable proxy, each run in a namespace of its own), emulator options, more guilds,
 * and the log lines the bot wrote. The returned object is a `Harness`, so test/bot/steps.ts works on it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { ManualClock } from '../../src/clock.ts';
import { configFileSchema, type Config, type SeriesInput } from '../../src/config.ts';
import { startBot } from '../../src/discord/bot.ts';
import { deployCommands } from '../../src/discord/deploy.ts';
import { loadCommands } from '../../src/discord/load-commands.ts';
import { openStore } from '../../src/store/index.ts';
import { startEmulator, type EmulatorOptions } from '../emulator/index.ts';
import type { Harness } from '../bot/harness.ts';
import { ManualTimers } from '../bot/manual-timers.ts';

export interface FaultHarnessOptions {
  readonly now: string;
  readonly series?: Partial<SeriesInput>;
  /** More series (e.g. in another guild); `guild` etc. must be given in full. */
  readonly extraSeries?: (h: { emu: Harness['emu']; guild: Harness['guild'] }) => Record<string, unknown>[];
  readonly voice?: boolean;
  /** Default: a fresh SQLite file. */
  readonly storeUrl?: string;
  readonly storeTimeoutMs?: number;
  readonly emulator?: EmulatorOptions;
}

export interface FaultHarness extends Harness {
  /** Every log line the bot wrote (JSON, level trace and up). */
  readonly logLines: string[];
}

export async function startFaultHarness(options: FaultHarnessOptions): Promise<FaultHarness> {
  const emu = await startEmulator({ heartbeatIntervalMs: 5_000, ...options.emulator });
  const guild = emu.seedGuild({ voice: options.voice ?? false });
  const clock = new ManualClock(options.now);
  const dir = mkdtempSync(join(tmpdir(), 'scribe-faults-'));
  const storeUrl = options.storeUrl ?? `sqlite://${join(dir, 'scribe.sqlite')}`;
  const namespace = `scribefaults${randomUUID().replaceAll('-', '')}`;
  const series = configFileSchema.parse({
    series: [
      {
        id: 'hackathon',
        guild: guild.guildId,
        voiceChannel: guild.voiceChannelId,
        textChannel: guild.textChannelId,
        timeZone: 'Europe/Berlin',
        open: '0 9 * * 6',
        durationMinutes: 240,
        threadName: 'Hackathon {yyyy}-{mm}-{dd}',
        teams: ['community'],
        location: 'Online, Discord, the `#{voiceChannelName}` voice channel',
        maintainerRoles: [guild.maintainerRoleId],
        minPresenceMinutes: 5,
        notesPath: 'hackathons/{yyyy}/{yyyy}-{mm}-{dd}.md',
        ...options.series,
      },
      ...(options.extraSeries?.({ emu, guild }) ?? []),
    ],
  }).series;
  const config: Config = {
    env: { DISCORD_TOKEN: emu.token, DISCORD_API_URL: emu.restUrl, STORE_URL: storeUrl, LOG_LEVEL: 'trace', SCRIBE_CONFIG: 'test' },
    configPath: 'test',
    series,
  };
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      done();
    },
  });
  const log = pino({ level: 'trace' }, sink);
  const boot = async () => {
    const store = await openStore(storeUrl, { namespace, operationTimeoutMs: options.storeTimeoutMs ?? 1_500, onError: () => undefined });
    const timers = new ManualTimers(clock);
    const bot = await startBot({ config, store, log, clock, timers, waitGuildTimeoutMs: 200 });
    return { store, bot, timers };
  };
  const first = await boot();
  const guildIds = [...new Set(series.map((s) => s.guild))];
  await deployCommands(first.bot.client, await loadCommands(), { guildIds });

  const harness: FaultHarness = {
    emu,
    guild,
    clock,
    config,
    logLines,
    bot: first.bot,
    store: first.store,
    timers: first.timers,
    async restart() {
      await harness.bot.client.destroy();
      await harness.bot.scheduler.stop();
      await harness.store.close();
      const next = await boot();
      harness.bot = next.bot;
      harness.store = next.store;
      harness.timers = next.timers;
    },
    async close() {
      await harness.bot.stop().catch(() => undefined);
      if (!storeUrl.startsWith('sqlite:')) await harness.store.clear().catch(() => undefined);
      await harness.store.close().catch(() => undefined);
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The notes file attached to the last summary posted in a thread. */
export function lastNotesFile(h: Harness, threadId: string): string {
  const text = h.emu.messages(threadId).filter((m) => m.attachments.length > 0).at(-1)?.attachments[0]?.text();
  if (text === undefined) throw new Error('no notes file posted');
  return text;
}

/** Messages in a thread that carry a notes file (one per summary revision). */
export function summaries(h: Harness, threadId: string): number {
  return h.emu.messages(threadId).filter((m) => m.attachments.length > 0).length;
}
