/**
 * `SqliteDatabase` (packages/client/src/store/sqlite-database.ts) on the
 * official SQLite WASM build's oo1 API, for the engine worker. The same
 * contract as the better-sqlite3 store: synchronous statements, cached by
 * SQL text, and transactions that nest by joining the outer one.
 *
 * The file lives in the `opfs-sahpool` VFS (one exclusive pool per origin,
 * opened by the leader worker only). That VFS keeps no shared memory, so the
 * journal is a rollback journal; `synchronous = FULL` keeps every committed
 * outbox append on disk before the write returns, and temporary b-trees stay
 * in memory so an index build never needs a spare pool slot.
 */
import type { SqlRow, SqlValue, SqliteDatabase, SqliteStatement } from '@clinicsync/client';
import type { Database, PreparedStatement } from '@sqlite.org/sqlite-wasm';

/** Wraps an open oo1 database; `close()` finalizes every cached statement and closes it. */
export function wrapSqliteWasm(raw: Database): SqliteDatabase {
  raw.exec(
    'PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF;',
  );
  const statements = new Map<string, { stmt: PreparedStatement; statement: SqliteStatement }>();
  let depth = 0;

  const prepare = (sql: string): SqliteStatement => {
    const cached = statements.get(sql);
    if (cached) return cached.statement;
    const stmt = raw.prepare(sql);
    const returnsRows = stmt.columnCount > 0;
    const bind = (params: readonly SqlValue[]) => {
      stmt.clearBindings();
      if (params.length > 0) stmt.bind(params as SqlValue[]);
    };
    const statement: SqliteStatement = {
      run: (...params) => {
        try {
          bind(params);
          while (stmt.step()) {
            // A statement with RETURNING run for its effect: drain it.
          }
          return { changes: raw.changes() as number };
        } finally {
          stmt.reset();
        }
      },
      get: (...params) => {
        try {
          bind(params);
          if (!stmt.step()) return undefined;
          return returnsRows ? (stmt.get({}) as SqlRow) : undefined;
        } finally {
          stmt.reset();
        }
      },
      all: (...params) => {
        try {
          bind(params);
          const rows: SqlRow[] = [];
          while (stmt.step()) if (returnsRows) rows.push(stmt.get({}) as SqlRow);
          return rows;
        } finally {
          stmt.reset();
        }
      },
    };
    statements.set(sql, { stmt, statement });
    return statement;
  };

  return {
    prepare,
    run: (sql, params = []) => prepare(sql).run(...params),
    get: (sql, params = []) => prepare(sql).get(...params),
    all: (sql, params = []) => prepare(sql).all(...params),
    exec: (sql) => {
      raw.exec(sql);
    },
    // Every transaction waits for the disk, `redoable` ones too: with a rollback journal a commit without the sync
    // can leave a torn page after a power cut, not just a lost transaction.
    transaction: <T>(fn: () => T): T => {
      if (depth > 0) return fn();
      raw.exec('BEGIN IMMEDIATE');
      depth = 1;
      try {
        const result = fn();
        raw.exec('COMMIT');
        return result;
      } catch (error) {
        // A failed COMMIT may already have rolled back; then there is nothing left to undo.
        try {
          raw.exec('ROLLBACK');
        } catch {
          // No transaction open any more.
        }
        throw error;
      } finally {
        depth = 0;
      }
    },
    close: () => {
      for (const { stmt } of statements.values()) stmt.finalize();
      statements.clear();
      if (raw.isOpen()) raw.close();
    },
  };
}
