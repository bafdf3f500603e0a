import { hostname } from 'node:os';
import { Events, type Client } from 'discord.js';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { MeetingService } from '../meetings/service.ts';
import { noMetrics, type Metrics } from '../metrics/metrics.ts';
import { createPublishers } from '../publish/create-publisher.ts';
import { Scheduler } from '../schedule/scheduler.ts';
import { realTimers, type Timers } from '../schedule/timers.ts';
import type { Store } from '../meetings/records.ts';
import { createClient, loginReady } from './client.ts';
import { sharedIdentifyThrottler } from './identify-throttler.ts';
import type { BotContext } from './context.ts';
import { loadCommands } from './load-commands.ts';
import { DiscordJsPort } from './port.ts';
import { createRouter } from './router.ts';
import { trackThreads } from './thread-events.ts';
import { shardsOf, shareOfGlobalLimit } from './shards.ts';
import { trackVoice } from './voice.ts';

export interface BotOptions {
  readonly config: Config;
  readonly store: Store;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly waitGuildTimeoutMs?: number;
  /** Timers for the meetings' ends and reminders (tests drive them by hand). */
  readonly timers?: Timers;
  /** This process's name in the store's claims; default its host and shards (a restart keeps it). */
  readonly processName?: string;
  /** Where counts and latencies go (METRICS_PORT); default nowhere. */
  readonly metrics?: Metrics;
}

export interface RunningBot {
  readonly client: Client<true>;
  readonly service: MeetingService;
  readonly scheduler: Scheduler;
  /** Settles once the publishes left pending at start have been tried (they retry by themselves after). */
  readonly resumed: Promise<void>;
  /** Stops the schedule, lets queued writes finish, closes the gateway. The store stays open. */
  stop(): Promise<void>;
}

/** Logs in, wires commands, voice attendance and the schedule, and resolves once ready. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, store, log } = options;
  const clock = options.clock ?? systemClock;
  const shards = shardsOf(config.env);
  const client = createClient({
    apiUrl: config.env.DISCORD_API_URL,
    // Sharded, the shard processes share the global limit and, through the store, the IDENTIFY buckets (real time, not the meetings' clock).
    ...(shards.count > 1
      ? { globalRequestsPerSecond: shareOfGlobalLimit(shards.count), shards, buildIdentifyThrottler: sharedIdentifyThrottler(store.atomic, systemClock, log) }
      : {}),
    ...(options.waitGuildTimeoutMs === undefined ? {} : { waitGuildTimeoutMs: options.waitGuildTimeoutMs }),
  });
  const publish = { publisherFor: createPublishers(config, log), timers: options.timers ?? realTimers, secrets: Object.values(config.publishTokens ?? {}) };
  const metrics = options.metrics ?? noMetrics;
  const processName = options.processName ?? `${hostname()}/shards-${shards.ids.join(',')}`;
  const service = new MeetingService({ store, port: new DiscordJsPort(client), clock, series: config.series, log, publish, events: metrics, processName });
  // Built once the client is ready: which guilds this process owns is known only then.
  let scheduler: Scheduler | undefined;
  const ctx: BotContext = {
    config,
    service,
    log,
    clock,
    client,
    meetingOpened: (series, meeting) => scheduler?.meetingOpened(series, meeting),
    metrics,
  };
  const route = createRouter(await loadCommands(), ctx);
  // Interactions being handled, so that a stop lets them finish (an update being saved is saved and
  // its person told so) before the store closes.
  const handling = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    const done: Promise<void> = route(interaction).finally(() => handling.delete(done));
    handling.add(done);
  });
  trackVoice(client, service, log);
  trackThreads(client, service, log);
  client.on(Events.Error, (error) => {
    ctx.metrics.error('discord');
    log.error({ err: error }, 'discord client error');
  });
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ shard, code: event.code }, 'gateway disconnected'));

  const readyClient = await loginReady(client, config.env.DISCORD_TOKEN);
  // Commands are answered from here on; with thousands of series, arming the schedule takes a moment more.
  log.info({ guilds: readyClient.guilds.cache.size }, 'gateway ready');
  // A series belongs to the shard Discord routes its guild to; another process schedules the rest.
  const ownsGuild = (guildId: string) => shards.owns(guildId) && readyClient.guilds.cache.has(guildId);
  for (const series of config.series) {
    if (shards.owns(series.guild) && !readyClient.guilds.cache.has(series.guild)) {
      log.warn({ series: series.id, guild: series.guild }, "the bot is not in this series' server; its meetings will not run");
    }
  }
  const ownedScheduler = new Scheduler({
    meetings: service,
    clock,
    series: config.series,
    ownsGuild,
    log,
    ...(options.timers === undefined ? {} : { timers: options.timers }),
  });
  scheduler = ownedScheduler;
  await ownedScheduler.start();
  // Publishes a stop or a crash left pending (issue 23), in the background: the bot is ready meanwhile.
  const resumed = service.resumePublishing();
  log.info({ user: readyClient.user.id, guilds: readyClient.guilds.cache.size, series: config.series.length }, 'ready');

  return {
    client: readyClient,
    service,
    scheduler: ownedScheduler,
    resumed,
    async stop() {
      await ownedScheduler.stop();
      while (handling.size > 0) await Promise.allSettled([...handling]);
      await service.drain();
      await client.destroy();
    },
  };
}
