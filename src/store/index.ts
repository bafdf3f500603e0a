/**
 * `openStore(url)`: the backend is chosen by the URL's scheme.
 * - `sqlite://path` (relative to the working directory; `sqlite:///abs/path`; `sqlite://:memory:`):
 *   the embedded default, its directory created on first use;
 * - `redis://…` / `rediss://…`: commands fail at once while the server is away (no offline queue) and
 *   the client reconnects by itself, so work resumes when the server returns;
 * - `postgres://…` / `postgresql://…`: a pool Scribe owns, so a dropped idle connection is an error
 *   event instead of an uncaught exception;
 * - `memory://`: a Map, for tests of code above the store.
 * `namespace` separates several Scribes (or test runs) sharing one database.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Keyv } from 'keyv';
import { postgresAtomic, redisAtomic, sqliteAtomic, type AtomicBackend } from './atomic.ts';
import { redactUrl, StoreUnavailableError } from './errors.ts';
import { KeyvStore } from './keyv-store.ts';
import { createSqliteAdapter } from './sqlite.ts';
import type { Store } from '../meetings/records.ts';

export { StoreUnavailableError } from './errors.ts';

export interface OpenStoreOptions {
  /** Key prefix (Redis, SQLite, Postgres alike); default `scribe`. */
  namespace?: string;
  /** An operation with no answer after this long fails as StoreUnavailableError; default 5 s. */
  operationTimeoutMs?: number;
  /** Receives backend errors that keyv reports as events (connection drops, reconnects). */
  onError?: (error: unknown) => void;
}

const DEFAULT_NAMESPACE = 'scribe';

/** Opens the store and checks that it answers; throws StoreUnavailableError when it does not. */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const timeoutMs = options.operationTimeoutMs ?? 5_000;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const backend = redactUrl(url);
  let keyv: Keyv<unknown>;
  let atomic: AtomicBackend | undefined;

  switch (scheme) {
    case 'sqlite': {
      const path = url.slice('sqlite://'.length);
      if (path === '') throw new StoreUnavailableError('open', backend, new Error('the URL names no file; use e.g. sqlite://data/scribe.sqlite'));
      if (path !== ':memory:') {
        try {
          mkdirSync(dirname(path), { recursive: true });
        } catch (error) {
          throw new StoreUnavailableError('create the database directory', backend, error);
        }
      }
      // Each backend's client is loaded only when its URL is used: a bot on SQLite carries no Redis or pg.
      const adapter = await createSqliteAdapter({ uri: url, busyTimeout: timeoutMs });
      if (path !== ':memory:') {
        // Write-ahead logging: a commit is one fsync of the log instead of the rollback journal's
        // several, so a saved update is as durable (synchronous stays FULL) at under half the latency,
        // and a reader (the CLI, a backup) never blocks the bot's writes.
        try {
          await adapter.query('PRAGMA journal_mode=WAL');
        } catch (error) {
          await adapter.disconnect().catch(() => undefined);
          throw new StoreUnavailableError('open', backend, error);
        }
      }
      keyv = new Keyv<unknown>(adapter, { namespace, throwOnErrors: true });
      atomic = sqliteAtomic(adapter, namespace);
      break;
    }
    case 'redis':
    case 'rediss': {
      const { default: KeyvRedis, createClient } = await import('@keyv/redis');
      const client = createClient({
        url,
        // Fail commands at once while disconnected instead of queueing them until a reconnect.
        disableOfflineQueue: true,
        socket: { connectTimeout: timeoutMs, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
      });
      const adapter = new KeyvRedis<unknown>(client, { namespace, throwOnErrors: true, throwOnConnectError: true, connectionTimeout: timeoutMs });
      // The adapter prefixes keys itself; keyv must not add a second prefix.
      keyv = new Keyv<unknown>(adapter, { namespace, useKeyPrefix: false, throwOnErrors: true });
      atomic = redisAtomic(adapter);
      break;
    }
    case 'postgres':
    case 'postgresql': {
      const OwnPoolPostgres = await ownPoolPostgres();
      const adapter = new OwnPoolPostgres({ uri: url, connectionTimeoutMillis: timeoutMs, max: 5 });
      keyv = new Keyv<unknown>(adapter, { namespace, throwOnErrors: true });
      atomic = postgresAtomic(adapter, namespace);
      break;
    }
    case 'memory':
      keyv = new Keyv<unknown>({ namespace, throwOnErrors: true });
      break;
    default:
      throw new StoreUnavailableError('open', backend, new Error('unknown store URL scheme; use sqlite://, redis://, rediss:// or postgres://'));
  }
  // keyv re-emits backend errors as events; with no listener they would be lost or thrown globally.
  keyv.on('error', (error: unknown) => options.onError?.(error));

  const store = new KeyvStore(keyv, { backend, operationTimeoutMs: timeoutMs, atomic });
  try {
    await store.series.get('ping');
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

// ---------------------------------------------------------------------------------------------------
// Postgres: @keyv/postgres keeps one module-wide pg pool with no 'error' listener, so a server restart
// that drops an idle connection would crash the process. This subclass gives each store its own pool
// with a listener. pg is @keyv/postgres's own dependency and is loaded from there.

interface PgPool {
  query(sql: string, values?: unknown): Promise<{ rows: unknown[] }>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  end(): Promise<void>;
}
interface PgModule {
  Pool: new (config: Record<string, unknown>) => PgPool;
}

function loadPg(): PgModule {
  const here = createRequire(import.meta.url);
  return createRequire(here.resolve('@keyv/postgres'))('pg') as PgModule;
}

const pools = new WeakMap<object, PgPool>();

async function ownPoolPostgres() {
  const { default: KeyvPostgres } = await import('@keyv/postgres');
  return class OwnPoolPostgres extends KeyvPostgres {
    // Called by the parent constructor; `this.opts` is set by then. No class fields: they would be
    // initialised only after the parent constructor returned.
    override async connect(): Promise<(sql: string, values?: unknown) => Promise<unknown[]>> {
      const { uri, ...rest } = this.opts;
      const pool = new (loadPg().Pool)({ ...rest, connectionString: uri });
      pool.on('error', (error) => this.emit('error', error));
      pools.set(this, pool);
      return async (sql, values) => (await pool.query(sql, values)).rows;
    }

    override async disconnect(): Promise<void> {
      await this.endPool();
    }

    async endPool(): Promise<void> {
      const pool = pools.get(this);
      pools.delete(this);
      await pool?.end();
    }
  };
}
