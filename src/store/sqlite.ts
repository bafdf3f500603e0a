/**
 * The SQLite backend: @keyv/sqlite with a `setMany` of its own. keyv falls back to one `set` per entry
 * when an adapter has none, and on SQLite each of those is a transaction of its own with an fsync;
 * here a batch (see WriteBatcher) is one upsert statement: stored whole or not at all, in one commit.
 */
import type { KeyvSqlite, KeyvSqliteOptions } from '@keyv/sqlite';

/** Rows in one statement: two parameters each, far below SQLite's limit of 32,766 parameters. */
export const SQLITE_MAX_ROWS = 256;

/** The upsert of `rows` rows into `table` (a name @keyv/sqlite has already reduced to [A-Za-z0-9_]). */
export function upsertStatement(table: string, rows: number): string {
  return `INSERT INTO ${table} (key, value) VALUES ${Array.from({ length: rows }, () => '(?, ?)').join(', ')} ON CONFLICT(key) DO UPDATE SET value=excluded.value`;
}

export async function createSqliteAdapter(options: KeyvSqliteOptions): Promise<KeyvSqlite> {
  const { default: Base } = await import('@keyv/sqlite');
  class BatchingKeyvSqlite extends Base {
    async setMany(entries: ReadonlyArray<{ key: string; value: unknown }>): Promise<boolean[]> {
      if (entries.length > SQLITE_MAX_ROWS) throw new RangeError(`at most ${SQLITE_MAX_ROWS} entries in one batch, not ${entries.length}`);
      if (entries.length === 0) return [];
      await this.query(upsertStatement(this.opts.table ?? 'keyv', entries.length), ...entries.flatMap((entry) => [entry.key, entry.value]));
      return entries.map(() => true);
    }
  }
  return new BatchingKeyvSqlite(options);
}
