/**
 * Scribe end to end: the emulator, a real SQLite (or other) store, and the bot itself with a manual
 * clock. Each test gets its own emulator and store file.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock.ts';
import { configFileSchema, type Config, type SeriesInput } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/discord/bot.ts';
import { deployCommands } from '../../src/discord/deploy.ts';
import { loadCommands } from '../../src/discord/load-commands.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/meetings/records.ts';
import { startEmulator, type Emulator, type EmulatorOptions, type SeededGuild } from '../emulator/index.ts';
import { ManualTimers } from './manual-timers.ts';
import { assertOnlyExpectedRefusals, type ExpectedRefusal } from './refusals.ts';

export interface Harness {
  readonly emu: Emulator;
  readonly guild: SeededGuild;
  readonly clock: ManualClock;
  /** The bot's end and reminder timers: `timers.fireDue()` after moving the clock. */
  timers: ManualTimers;
  readonly config: Config;
  bot: RunningBot;
  store: Store;
  /** Stops the bot (as a crash would: no drain of anything but the process) and starts a new one on the same store file. */
  restart(): Promise<void>;
  /** Declares a refusal (a violation the emulator records) that the test provokes on purpose; close() requires it to have happened. */
  expectRefusal(expected: ExpectedRefusal): void;
  /**
   * Stops everything, then fails when the emulator recorded a violation the test did not declare
   * (with `expectRefusal` or the `expectRefusals` option), or a declared one did not happen.
   */
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Clock start, e.g. '2022-03-19T08:00:00Z'. */
  readonly now: string;
  readonly series?: Partial<SeriesInput>;
  /** More series (e.g. in another guild), given in full. */
  readonly extraSeries?: (h: { emu: Emulator; guild: SeededGuild }) => Record<string, unknown>[];
  /** Default: a fresh SQLite file. Any other store gets a namespace of its own, cleared at close. */
  readonly storeUrl?: string;
  /** The store's operation timeout; default 1.5 s, so that an outage is noticed within a test. */
  readonly storeTimeoutMs?: number;
  readonly emulator?: EmulatorOptions;
  readonly voice?: boolean;
  /** The store namespace (default: one of its own); a second bot on the same store names it too (startSecondBot). */
  readonly namespace?: string;
  /** Wraps the store the bot uses (e.g. to make it slow); the harness keeps the unwrapped one. */
  readonly wrapStore?: (store: Store) => Store;
  /** Refusals the test provokes on purpose (see `Harness.expectRefusal`). */
  readonly expectRefusals?: readonly ExpectedRefusal[];
  /** Environment values on top of the harness's (e.g. GITHUB_API_URL), and the publish tokens loadConfig would read from it. */
  readonly env?: Partial<Config['env']>;
  readonly publishTokens?: Readonly<Record<string, string>>;
  /** The bot's logger (default: silent, or TEST_LOG_LEVEL). */
  readonly log?: Logger;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const emu = await startEmulator({ heartbeatIntervalMs: 5_000, ...options.emulator });
  const guild = emu.seedGuild({ voice: options.voice ?? false });
  const clock = new ManualClock(options.now);
  const dir = mkdtempSync(join(tmpdir(), 'scribe-test-'));
  const storeUrl = options.storeUrl ?? `sqlite://${join(dir, 'scribe.sqlite')}`;
  const namespace = options.namespace ?? `scribetest${randomUUID().replaceAll('-', '')}`;
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
        location: 'Online, Discord (https://bit.ly/UnikraftDiscord), the `#{voiceChannelName}` voice channel',
        maintainerRoles: [guild.maintainerRoleId],
        minPresenceMinutes: 5,
        notesPath: 'hackathons/{yyyy}/{yyyy}-{mm}-{dd}.md',
        ...options.series,
      },
      ...(options.extraSeries?.({ emu, guild }) ?? []),
    ],
  }).series;
  const config: Config = {
    env: {
      DISCORD_TOKEN: emu.token,
      DISCORD_API_URL: emu.restUrl,
      STORE_URL: storeUrl,
      STORE_NAMESPACE: namespace,
      LOG_LEVEL: 'silent',
      SCRIBE_CONFIG: 'test',
      GITHUB_API_URL: 'https://api.github.com',
      PUBLISH_DIR: join(dir, 'publish'),
      ...options.env,
    },
    configPath: 'test',
    series,
    ...(options.publishTokens === undefined ? {} : { publishTokens: options.publishTokens }),
  };
  const log = options.log ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const boot = async () => {
    const store = await openStore(storeUrl, { namespace, operationTimeoutMs: options.storeTimeoutMs ?? 1_500, onError: () => undefined });
    const timers = new ManualTimers(clock);
    const bot = await startBot({ config, store: options.wrapStore?.(store) ?? store, log, clock, timers, waitGuildTimeoutMs: 200 });
    return { store, bot, timers };
  };
  const expected: ExpectedRefusal[] = [...(options.expectRefusals ?? [])];
  const first = await boot();
  await deployCommands(first.bot.client, await loadCommands(), { guildIds: [...new Set(series.map((s) => s.guild))] });

  const harness: Harness = {
    emu,
    guild,
    clock,
    config,
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
    expectRefusal(refusal) {
      expected.push(refusal);
    },
    async close() {
      try {
        await harness.bot.stop().catch(() => undefined);
        if (!storeUrl.startsWith('sqlite:')) await harness.store.clear().catch(() => undefined);
        await harness.store.close().catch(() => undefined);
      } finally {
        await emu.close();
        rmSync(dir, { recursive: true, force: true });
      }
      // After the bot has stopped, so that what it did last is counted too.
      assertOnlyExpectedRefusals(emu, expected);
    },
  };
  return harness;
}

/**
 * Another Scribe on the same emulator, configuration, clock and store (`storeUrl` and `namespace` as the
 * harness was given them), as a second process would be: its own discord.js client, store connection
 * and timers. The caller stops it (`stop()`) before closing the harness.
 */
export async function startSecondBot(
  h: Harness,
  store: { url: string; namespace: string },
  /** Its own directory for publishing clones, as another machine would have (default: the harness's). */
  options: { publishDir?: string } = {},
): Promise<{ bot: RunningBot; store: Store; timers: ManualTimers; stop(): Promise<void> }> {
  const opened = await openStore(store.url, { namespace: store.namespace, operationTimeoutMs: 1_500, onError: () => undefined });
  const timers = new ManualTimers(h.clock);
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const config = options.publishDir === undefined ? h.config : { ...h.config, env: { ...h.config.env, PUBLISH_DIR: options.publishDir } };
  // Another machine: its claims are not the first bot's.
  const bot = await startBot({ config, store: opened, log, clock: h.clock, timers, waitGuildTimeoutMs: 200, processName: 'second-machine' });
  return {
    bot,
    store: opened,
    timers,
    async stop() {
      await bot.stop().catch(() => undefined);
      await opened.close().catch(() => undefined);
    },
  };
}
