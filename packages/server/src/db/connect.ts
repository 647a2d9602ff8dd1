/**
 * Opens the server database: embedded SQLite (a file path, or `:memory:`) or
 * PostgreSQL (a `postgres://` URL). Returns the Kysely instance with the
 * dialect's capabilities; migrations are run separately by `migrate`.
 */
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { checkpointInBackground } from '@clinicsync/client/background-checkpoint';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { postgresCapabilities, sqliteCapabilities, type Capabilities } from './capabilities.ts';
import type { ServerDb } from './schema.ts';
import { withStatementCache } from './statement-cache.ts';

export type Database = {
  readonly db: Kysely<ServerDb>;
  readonly caps: Capabilities;
  /** Pool statistics for metrics (PostgreSQL only). */
  readonly pool?: { readonly total: () => number; readonly idle: () => number; readonly waiting: () => number };
  close(): Promise<void>;
};

export type ConnectOptions = {
  /** SQLite file path, `:memory:`, or a `postgres://` / `postgresql://` URL. */
  readonly url: string;
  /** PostgreSQL pool size (default 10). */
  readonly poolSize?: number;
  /** PostgreSQL statement timeout in ms (default 30 s) so a stuck query cannot hold a pool slot forever. */
  readonly statementTimeoutMs?: number;
};

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export function connectDatabase(options: ConnectOptions): Database {
  // Any other URL would otherwise be taken for a file name (`mysql://…` a folder `mysql:`); only the scheme is
  // repeated, as the rest may hold a password.
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(options.url)?.[1];
  if (scheme !== undefined && !isPostgresUrl(options.url))
    throw new Error(`the database must be a SQLite file path or a postgres:// URL, not a ${scheme}:// URL`);
  return isPostgresUrl(options.url) ? connectPostgres(options) : connectSqlite(options.url);
}

function connectSqlite(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const raw = new SQLite(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('busy_timeout = 5000');
  // A file database checkpoints in the background; a request's commit only copies what the worker left, past 16 MiB (background-checkpoint.ts).
  const checkpoint =
    path === ':memory:'
      ? undefined
      : checkpointInBackground(raw, { path, driver: createRequire(import.meta.url).resolve('better-sqlite3') });
  const db = new Kysely<ServerDb>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  return {
    db,
    caps: sqliteCapabilities,
    close: async () => {
      await checkpoint?.stop();
      await db.destroy();
    },
  };
}

// int8 (counters, sequences) as JavaScript numbers: safe up to 2^53, far above any sequence we allocate.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function connectPostgres(options: ConnectOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    types,
  });
  // A connection lost during a database restart must not crash the process:
  // idle clients report on the pool, checked-out ones on themselves. The query
  // in flight fails (the request answers 500 and the device retries), and the
  // pool discards the broken client when it is released.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<ServerDb>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    caps: postgresCapabilities,
    pool: { total: () => pool.totalCount, idle: () => pool.idleCount, waiting: () => pool.waitingCount },
    close: () => db.destroy(),
  };
}
