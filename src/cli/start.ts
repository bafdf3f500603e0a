import { loadConfig, loadDotEnv } from '../config-load.ts';
import { ConfigError } from '../config.ts';
import { startBot, type RunningBot } from '../discord/bot.ts';
import { createLogger } from '../log.ts';
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
  const log = createLogger({ level: config.env.LOG_LEVEL, pretty: process.stdout.isTTY === true });
  let store;
  let bot: RunningBot | undefined;
  try {
    store = await openStore(config.env.STORE_URL, { onError: (error) => log.warn({ err: error }, 'store backend error') });
    log.info({ store: store.backend, series: config.series.map((s) => s.id) }, 'starting');
    bot = await startBot({ config, store, log });
  } catch (error) {
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
  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      const deadline = setTimeout(() => {
        log.error({ afterMs: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long; exiting anyway');
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      running
        .stop()
        .then(() => openStoreHandle.close())
        .then(() => {
          log.info({}, 'stopped');
          resolve(0);
        })
        .catch((error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          resolve(1);
        });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}
