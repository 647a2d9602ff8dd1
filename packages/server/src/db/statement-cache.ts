/**
 * better-sqlite3 behind Kysely with its prepared statements kept by SQL text.
 * Kysely's SQLite driver prepares every query it runs; SQLite's prepare is a
 * parse and a plan, about 0.6 ms for a push's 500-row INSERT (bench/README.md),
 * and the same statements come back with every batch. A statement is
 * reused only when it is not in the middle of iterating (`busy`: a stream
 * still reading it); then a fresh one is prepared for that call. Statements
 * stay valid across schema changes: SQLite prepares them again itself.
 *
 * A prepared statement's memory grows with its parameters (about 0.5 MiB
 * for a 500-row INSERT of 14 columns), and pushes of every size from 1 to
 * 500 events make INSERTs of as many shapes, so the cache is bounded by the
 * total length of its SQL texts as well as by their number: a few dozen
 * large INSERTs at most, any number of small statements up to the count.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

export type StatementCacheLimits = {
  /** Distinct SQL texts kept. */
  readonly statements: number;
  /** Their summed length in characters (about three per bound parameter of a multi-row INSERT). */
  readonly textLength: number;
};

/** About 130,000 parameters (some 10 MiB of statements): a push batch's four 500-row INSERTs many times over. */
export const STATEMENT_CACHE_LIMITS: StatementCacheLimits = { statements: 200, textLength: 400_000 };

/** `raw` as Kysely's SqliteDialect takes it, with `prepare` answering from the cache; the least recently used go first. */
export function withStatementCache(raw: Database, limits = STATEMENT_CACHE_LIMITS): SqliteDatabase {
  const cache = new Map<string, Statement>();
  let textLength = 0;
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
      if (cached || sql.length > limits.textLength) return statement;
      cache.set(sql, statement);
      textLength += sql.length;
      while (cache.size > limits.statements || textLength > limits.textLength) {
        const oldest = cache.keys().next().value!;
        cache.delete(oldest);
        textLength -= oldest.length;
      }
      return statement;
    },
  };
}
