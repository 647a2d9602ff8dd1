/**
 * better-sqlite3 behind Kysely with its prepared statements kept by SQL text.
 * Kysely's SQLite driver prepares every query it runs; SQLite's prepare is a
 * parse and a plan, about 0.6 ms for a push's 500-row INSERT (bench/README.md),
 * and the same statements come back with every batch. A statement is
 * reused only when it is not in the middle of iterating (`busy`: a stream
 * still reading it); then a fresh one is prepared for that call. Statements
 * stay valid across schema changes: SQLite prepares them again itself.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Distinct SQL texts kept; the least recently used is dropped past it. */
export const STATEMENT_CACHE_SIZE = 200;

/** `raw` as Kysely's SqliteDialect takes it, with `prepare` answering from the cache. */
export function withStatementCache(raw: Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => raw.close(),
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Map order is the recency order: move the hit to the end.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = raw.prepare(sql);
      if (cached) return statement;
      cache.set(sql, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}
