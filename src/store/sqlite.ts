/**
 * The SQLite backend: @keyv/sqlite with a `setMany` of its own. keyv falls back to one `set` per entry
 * when an adapter has none, each a transaction of its own; an update and the index naming it must be
 * stored together (see keyv-store.ts), so here `setMany` is one upsert statement: all of it or none.
 */
import type { KeyvSqlite, KeyvSqliteOptions } from '@keyv/sqlite';

/** The upsert of `rows` rows into `table` (a name @keyv/sqlite has already reduced to [A-Za-z0-9_]). */
function upsertStatement(table: string, rows: number): string {
  return `INSERT INTO ${table} (key, value) VALUES ${Array.from({ length: rows }, () => '(?, ?)').join(', ')} ON CONFLICT(key) DO UPDATE SET value=excluded.value`;
}

export async function createSqliteAdapter(options: KeyvSqliteOptions): Promise<KeyvSqlite> {
  const { default: Base } = await import('@keyv/sqlite');
  class AtomicKeyvSqlite extends Base {
    async setMany(entries: ReadonlyArray<{ key: string; value: unknown }>): Promise<boolean[]> {
      if (entries.length === 0) return [];
      await this.query(upsertStatement(this.opts.table ?? 'keyv', entries.length), ...entries.flatMap((entry) => [entry.key, entry.value]));
      return entries.map(() => true);
    }
  }
  return new AtomicKeyvSqlite(options);
}
