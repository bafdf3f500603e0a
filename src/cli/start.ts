import { loadConfig, loadDotEnv } from '../config-load.ts';
import { systemClock } from '../clock.ts';
import { ConfigError, type Env } from '../config.ts';
import { startBot, type RunningBot } from '../discord/bot.ts';
import { startShardManager } from '../discord/shard-manager.ts';
import { createLogger, type Logger } from '../log.ts';
import type { MetricsServer } from '../metrics/server.ts';
import { openStore, StoreUnavailableError } from '../store/index.ts';

/** After SIGTERM, whatever is still running is cut off after this long. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/** A start-up failure a person can fix, said in one line instead of a stack trace. */
function explain(error: unknown): string | undefined {
  if (error instanceof ConfigError || error instanceof StoreUnavailableError) return error.message;
  if (error instanceof Error && 'code' in error && error.code === 'TokenInvalid') {
    return 'Discord refused the token (DISCORD_TOKEN): copy it again from the developer portal, Bot page.';
  }
  if (error instanceof Error && /\b401\b|Unauthorized/.test(error.message)) {
    return 'Discord refused the token (DISCORD_TOKEN): copy it again from the developer portal, Bot page.';
  }
  if (error instanceof Error && 'code' in error && (error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND')) {
    return `Discord's API (DISCORD_API_URL) cannot be reached: ${error.message}`;
  }
  return undefined;
}

/** `scribe start`: runs the bot until SIGTERM or SIGINT, then shuts down cleanly and returns 0. */
export async function run(_args: string[]): Promise<number> {
  let config;
  try {
    loadDotEnv();
    config = loadConfig({ env: process.env });
  } catch (error) {
    const message = explain(error);
    if (message === undefined) throw error;
    process.stderr.write(`${message}\n`);
    return 1;
  }
  // Listened for from here on: a signal during start-up (a shard manager stopping) stops Scribe
  // gracefully once it has started, instead of killing it halfway.
  const signal = nextSignal();
  const root = createLogger({ level: config.env.LOG_LEVEL, pretty: process.stdout.isTTY === true });
  // A shard process (its manager set SHARDS) names its shards on every line; the manager is "manager".
  const shardIds = config.env.SHARDS;
  if (shardIds === undefined && config.env.SCRIBE_SHARDS !== undefined) return runManager(config.env, root.child({ shard: 'manager' }), signal);
  const log = shardIds === undefined ? root : root.child({ shard: shardIds.length === 1 ? shardIds[0] : shardIds });
  // Shard i serves its metrics on METRICS_PORT + i, so that one machine's shards do not collide.
  const shardId = shardIds?.[0] ?? 0;
  const metrics = config.env.METRICS_PORT === undefined ? undefined : (await import('../metrics/prometheus.ts')).createMetrics({ shard: String(shardId) });
  let store;
  let bot: RunningBot | undefined;
  let server: MetricsServer | undefined;
  try {
    store = await openStore(config.env.STORE_URL, {
      namespace: config.env.STORE_NAMESPACE,
      onError: (error) => {
        metrics?.error('store');
        log.warn({ err: error }, 'store backend error');
      },
    });
    log.info({ store: store.backend, series: config.series.map((s) => s.id) }, 'starting');
    if (metrics && config.env.METRICS_PORT !== undefined) {
      const { startMetricsServer } = await import('../metrics/server.ts');
      server = await startMetricsServer({ port: config.env.METRICS_PORT + shardId, registry: metrics.registry, ready: () => bot?.client.isReady() === true });
      log.info({ port: server.port }, 'metrics at /metrics, health at /healthz');
    }
    bot = await startBot({ config, store, log, ...(metrics ? { metrics } : {}) });
    const scheduler = bot.scheduler;
    metrics?.countOpenMeetingsWith(() => scheduler.armed().filter((timer) => timer.kind === 'end').length);
  } catch (error) {
    await server?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    const message = explain(error);
    if (message === undefined) {
      log.fatal({ err: error }, 'start-up failed');
      return 1;
    }
    log.fatal({ reason: message }, 'start-up failed');
    process.stderr.write(`${message}\n`);
    return 1;
  }

  const openStoreHandle = store;
  const running = bot;
  const metricsServer = server;
  return stopOn(signal, log, SHUTDOWN_DEADLINE_MS, async () => {
    await running.stop();
    await openStoreHandle.close();
    await metricsServer?.close();
  });
}

/** Runs the shard processes of SCRIBE_SHARDS until SIGTERM or SIGINT, then stops each gracefully. */
async function runManager(env: Env, log: Logger, signal: Promise<string>): Promise<number> {
  let running;
  try {
    running = await startShardManager({
      file: process.argv[1] ?? 'bin/scribe.mjs',
      token: env.DISCORD_TOKEN,
      apiUrl: env.DISCORD_API_URL,
      total: env.SCRIBE_SHARDS ?? 1,
      list: env.SCRIBE_SHARD_LIST,
      log,
      clock: systemClock,
    });
  } catch (error) {
    const message = explain(error) ?? (error instanceof Error ? error.message : String(error));
    log.fatal({ reason: message }, 'start-up failed');
    process.stderr.write(`${message}\n`);
    return 1;
  }
  const manager = running;
  void manager.started.then(() => log.info({}, 'ready'));
  // Each shard has SHUTDOWN_DEADLINE_MS of its own; the manager waits for the slowest.
  return stopOn(signal, log, SHUTDOWN_DEADLINE_MS + 5_000, () => manager.stop());
}

/** The first SIGTERM or SIGINT (a second one gets Node's default: the process ends at once). */
function nextSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

/** Once `signal` arrives, runs `stop`; resolves with the exit code (1 if it failed; exits 1 if it overran). */
async function stopOn(signal: Promise<string>, log: Logger, deadlineMs: number, stop: () => Promise<void>): Promise<number> {
  log.info({ signal: await signal }, 'shutting down');
  const deadline = setTimeout(() => {
    log.error({ afterMs: deadlineMs }, 'shutdown took too long; exiting anyway');
    process.exit(1);
  }, deadlineMs);
  deadline.unref();
  try {
    await stop();
    log.info({}, 'stopped');
    return 0;
  } catch (error) {
    log.error({ err: error }, 'shutdown failed');
    return 1;
  }
}
