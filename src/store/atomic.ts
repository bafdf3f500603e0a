/**
 * Create-if-absent and compare-and-set, done by the backend itself in one step, so that two processes
 * sharing a store cannot both win (keyv has no such operation). Each backend runs them through its keyv
 * adapter's own client: Redis `SET NX` and a Lua script, SQL `INSERT … ON CONFLICT DO NOTHING` and
 * `UPDATE … WHERE value = expected`. Keys live in the namespace keyv's own `clear()` empties, under
 * `atomic:`; values are JSON text written here and never read through keyv.
 */
import type { KeyvSqlite } from '@keyv/sqlite';

/** The stored JSON text; `replace`/`remove` act only when the stored text is exactly `expected`. */
export interface AtomicBackend {
  get(key: string): Promise<string | undefined>;
  create(key: string, text: string): Promise<boolean>;
  replace(key: string, expected: string, next: string): Promise<boolean>;
  remove(key: string, expected: string): Promise<boolean>;
  /** Only where keyv's own `clear()` does not reach these records (memory). */
  clear?(): void;
}

const PREFIX = 'atomic:';

// ---------------------------------------------------------------------------------------------------
// Redis: the client @keyv/redis exposes (`adapter.client`), keys prefixed as the adapter prefixes its own.

interface RedisCommands {
  get(key: string): Promise<string | null | unknown>;
  set(key: string, value: string, options: { condition: 'NX' }): Promise<string | null | unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}
interface RedisAdapterLike {
  readonly client: unknown;
  readonly namespace?: string | undefined;
  createKeyPrefix(key: string, namespace?: string): string;
}

const REPLACE_IF_EQUAL = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0";
const DELETE_IF_EQUAL = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end return 0";

export function redisAtomic(adapter: RedisAdapterLike): AtomicBackend {
  // Typed by the commands used here: the adapter's client is a plain client, a cluster or a sentinel.
  const client = adapter.client as RedisCommands;
  const k = (key: string) => adapter.createKeyPrefix(PREFIX + key, adapter.namespace);
  return {
    async get(key) {
      const value = await client.get(k(key));
      return typeof value === 'string' ? value : undefined;
    },
    async create(key, text) {
      return (await client.set(k(key), text, { condition: 'NX' })) === 'OK';
    },
    async replace(key, expected, next) {
      return Number(await client.eval(REPLACE_IF_EQUAL, { keys: [k(key)], arguments: [expected, next] })) === 1;
    },
    async remove(key, expected) {
      return Number(await client.eval(DELETE_IF_EQUAL, { keys: [k(key)], arguments: [expected] })) === 1;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// SQL: the adapter's own `query` (its connection, its table); keys prefixed `namespace:` as keyv does.

/** Runs one statement and answers its rows. */
type Rows = (sql: string, values: readonly string[]) => Promise<unknown[]>;

function sqlAtomic(table: string, prefix: string, rows: Rows, placeholder: (n: number) => string): AtomicBackend {
  const [p1, p2, p3] = [placeholder(1), placeholder(2), placeholder(3)];
  const k = (key: string) => prefix + PREFIX + key;
  return {
    async get(key) {
      const [row] = (await rows(`SELECT value FROM ${table} WHERE key = ${p1}`, [k(key)])) as { value?: unknown }[];
      return typeof row?.value === 'string' ? row.value : undefined;
    },
    async create(key, text) {
      return (await rows(`INSERT INTO ${table} (key, value) VALUES (${p1}, ${p2}) ON CONFLICT (key) DO NOTHING RETURNING key`, [k(key), text])).length === 1;
    },
    async replace(key, expected, next) {
      return (await rows(`UPDATE ${table} SET value = ${p1} WHERE key = ${p2} AND value = ${p3} RETURNING key`, [next, k(key), expected])).length === 1;
    },
    async remove(key, expected) {
      return (await rows(`DELETE FROM ${table} WHERE key = ${p1} AND value = ${p2} RETURNING key`, [k(key), expected])).length === 1;
    },
  };
}

interface PostgresAdapterLike {
  readonly opts: { schema?: string; table?: string };
  query(sql: string, values?: unknown): Promise<unknown[]>;
}

export function postgresAtomic(adapter: PostgresAdapterLike, namespace: string): AtomicBackend {
  const table = `${adapter.opts.schema ?? 'public'}.${adapter.opts.table ?? 'keyv'}`;
  return sqlAtomic(
    table,
    `${namespace}:`,
    (sql, values) => adapter.query(sql, values),
    (n) => `$${n}`,
  );
}

export function sqliteAtomic(adapter: KeyvSqlite, namespace: string): AtomicBackend {
  // SQLite runs one statement at a time per database (its write lock), across processes too.
  return sqlAtomic(
    adapter.opts.table ?? 'keyv',
    `${namespace}:`,
    async (sql, values) => (await adapter.query(sql, ...values)) as unknown[],
    () => '?',
  );
}

// ---------------------------------------------------------------------------------------------------

/** One process only (memory://): a Map, each operation synchronous and so atomic. */
export function memoryAtomic(): AtomicBackend {
  const map = new Map<string, string>();
  const ifEqual = (key: string, expected: string, then: () => void) => {
    if (map.get(key) !== expected) return false;
    then();
    return true;
  };
  return {
    get: async (key) => map.get(key),
    create: async (key, text) => !map.has(key) && map.set(key, text) !== undefined,
    replace: async (key, expected, next) => ifEqual(key, expected, () => map.set(key, next)),
    remove: async (key, expected) => ifEqual(key, expected, () => map.delete(key)),
    clear: () => map.clear(),
  };
}
