/**
 * `scribe start` with SCRIBE_SHARDS: discord.js's ShardingManager runs one `scribe start` process per
 * shard (this machine's part of SCRIBE_SHARD_LIST), each a whole Scribe on the shared store. The
 * manager restarts a shard that dies, waiting longer each time it dies young (every start spends one of
 * the bot's daily session starts), and stops them all gracefully on SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';

/** Discord lets one IDENTIFY per rate-limit bucket through every 5 s; spawning slower keeps to it. */
const SPAWN_INTERVAL_MS = 5_500;
const READY_TIMEOUT_MS = 120_000;
const FIRST_RESTART_DELAY_MS = 1_000;
const LONGEST_RESTART_DELAY_MS = 60_000;
/** A shard that ran this long before dying is restarted after the first delay again. */
const HEALTHY_RUN_MS = 60_000;
const STOP_DEADLINE_MS = 15_000;

export interface ShardManagerOptions {
  /** The script each shard process runs (bin/scribe.mjs), with `start`. */
  readonly file: string;
  readonly token: string;
  readonly apiUrl: string;
  readonly total: number | 'auto';
  /** The shards this machine runs; default all of them. */
  readonly list?: readonly number[] | undefined;
  readonly log: Logger;
  readonly clock: Clock;
  /** Overrides the restart delays (tests). */
  readonly restartDelayMs?: { readonly first: number; readonly longest: number };
  readonly spawnIntervalMs?: number;
}

export interface RunningManager {
  readonly manager: ShardingManager;
  /** Resolves once every shard was spawned once (ready, or left to its restarts). */
  readonly started: Promise<void>;
  /** SIGTERM to every shard process; resolves once all have exited. */
  stop(): Promise<void>;
}

/** What Discord recommends at DISCORD_API_URL (discord.js's own helper always asks discord.com). */
export async function recommendedShardCount(apiUrl: string, token: string): Promise<number> {
  const answer = (await new REST({ api: apiUrl }).setToken(token).get(Routes.gatewayBot())) as { shards?: unknown };
  if (typeof answer.shards !== 'number' || answer.shards < 1) throw new Error('GET /gateway/bot gave no shard count');
  return answer.shards;
}

export async function startShardManager(options: ShardManagerOptions): Promise<RunningManager> {
  const { log, clock } = options;
  const total = options.total === 'auto' ? await recommendedShardCount(options.apiUrl, options.token) : options.total;
  const list = options.list ?? Array.from({ length: total }, (_, i) => i);
  const delays = options.restartDelayMs ?? { first: FIRST_RESTART_DELAY_MS, longest: LONGEST_RESTART_DELAY_MS };
  // respawn: false: discord.js would restart a dead shard at once; Scribe waits (restartLater).
  const manager = new ShardingManager(options.file, {
    totalShards: total,
    shardList: [...list],
    mode: 'process',
    respawn: false,
    shardArgs: ['start'],
    token: options.token,
  });
  log.info({ shards: list, total }, 'starting shard processes');

  let stopping = false;
  const pending = new Set<NodeJS.Timeout>();
  const restartLater = (shard: Shard, failures: number): void => {
    const wait = Math.min(delays.first * 2 ** (failures - 1), delays.longest);
    log.warn({ shard: shard.id, restartInMs: wait, failures }, 'shard process died; restarting it');
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (!stopping) shard.spawn(READY_TIMEOUT_MS).catch((error: unknown) => log.error({ shard: shard.id, err: error }, 'shard did not become ready'));
    }, wait);
    pending.add(timer);
  };

  const spawnAll = async (): Promise<void> => {
    for (const [index, id] of list.entries()) {
      const shard = manager.createShard(id);
      let readyAt: number | undefined;
      let failures = 0;
      shard.on('spawn', (child) => log.info({ shard: id, pid: 'pid' in child ? child.pid : undefined }, 'shard process started'));
      shard.on('ready', () => {
        readyAt = clock.now().getTime();
        log.info({ shard: id }, 'shard ready');
      });
      shard.on('death', () => {
        if (stopping) return;
        const ranLong = readyAt !== undefined && clock.now().getTime() - readyAt >= HEALTHY_RUN_MS;
        failures = ranLong ? 1 : failures + 1;
        readyAt = undefined;
        restartLater(shard, failures);
      });
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, options.spawnIntervalMs ?? SPAWN_INTERVAL_MS));
      if (stopping) break;
      // A shard that dies before it is ready is restarted by its death handler; here it is only logged.
      await shard.spawn(READY_TIMEOUT_MS).catch((error: unknown) => log.error({ shard: id, err: error }, 'shard did not become ready'));
    }
    log.info({ shards: list, total }, 'shard processes started');
  };

  return {
    manager,
    started: spawnAll(),
    async stop() {
      stopping = true;
      for (const timer of pending) clearTimeout(timer);
      const children = [...manager.shards.values()].map((s) => s.process).filter((p): p is ChildProcess => p !== null && p.exitCode === null);
      await Promise.all(children.map((child) => stopChild(child)));
    },
  };
}

/** SIGTERM, then SIGKILL if the shard has not finished its own graceful stop by the deadline. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
