/**
 * `SqliteDatabase` on better-sqlite3 (Node), in its SQLite3 Multiple Ciphers
 * build (`better-sqlite3-multiple-ciphers`, the same API and major version),
 * so a store opened with a key is encrypted at rest (store-cipher.ts) and an
 * unencrypted one is encrypted in place on first open with a key
 * (encrypt-store-file.ts). Without a key the file is plain SQLite (tests,
 * benchmarks' baseline). WAL keeps reads from blocking the writer;
 * `synchronous = FULL` makes every committed outbox append survive a power
 * cut or a killed process, which is the whole promise of the outbox; a
 * `redoable` transaction (a pulled page) commits without the fsync. A store
 * file checkpoints its WAL in a worker thread (background-checkpoint.ts): a
 * pulled change or a local write does not pay for copying the WAL into a
 * store of a million rows.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import {
  type BackgroundCheckpoint,
  BULK_CHECKPOINT_PAGES,
  checkpointInBackground,
  WRITER_CHECKPOINT_PAGES,
} from './background-checkpoint.ts';
import { encryptStoreFile } from './encrypt-store-file.ts';
import type { SqlRow, SqlValue, SqliteDatabase, SqliteStatement, TransactionOptions } from './sqlite-database.ts';
import { applyStoreKey, type StoreKey, storeKeyPragmas } from './store-cipher.ts';

/** The store connection's page cache, in KiB. */
export const STORE_CACHE_KIB = 65_536;

/** The files SQLite keeps beside a database. */
export const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/**
 * Makes the store file and its side files owner-only (0600). SQLite creates
 * a new database with 0644 less the umask, and its WAL and shared-memory
 * files with the database's mode, so the database is created here first
 * with 0600; existing files (from a version that made them 0644) are
 * tightened.
 */
export function makeStoreOwnerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, ...SIDE_FILES.map((suffix) => path + suffix)]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}

export type OpenStoreOptions = {
  /** The store key: the file is encrypted with it (and encrypted first, if it is not yet). Ignored for `':memory:'`. */
  readonly key?: StoreKey;
};

/**
 * Opens (creating if needed, owner-only) the local store file; `':memory:'`
 * for tests. With a key, throws StoreKeyError when the file does not open
 * with it.
 */
export function openBetterSqlite3(path: string, options: OpenStoreOptions = {}): SqliteDatabase {
  const onDisk = path !== ':memory:';
  if (onDisk) makeStoreOwnerOnly(path);
  if (onDisk && options.key) encryptStoreFile(path, options.key);
  const raw = new Database(path);
  if (onDisk && options.key) {
    try {
      applyStoreKey(raw, options.key);
    } catch (error) {
      raw.close();
      throw error;
    }
  }
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('busy_timeout = 5000');
  // A page cache of up to 64 MiB instead of SQLite's 2 MiB: a first sync inserts rows in random id order, so with the
  // default cache nearly every row reads back an index page the cache has just dropped, and for an encrypted store
  // every page read is decrypted and its HMAC checked again (bench/README.md). Pages are only held once used.
  raw.pragma(`cache_size = -${STORE_CACHE_KIB}`);
  const checkpoint: BackgroundCheckpoint | undefined = onDisk
    ? checkpointInBackground(raw, {
        path,
        driver: createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers'),
        setup: options.key ? storeKeyPragmas(options.key) : [],
      })
    : undefined;

  const statements = new Map<string, SqliteStatement>();
  const prepare = (sql: string): SqliteStatement => {
    let statement = statements.get(sql);
    if (!statement) {
      const prepared = raw.prepare(sql);
      const returnsRows = prepared.reader;
      statement = {
        run: (...params) => ({ changes: prepared.run(...(params as SqlValue[])).changes }),
        get: (...params) => (returnsRows ? (prepared.get(...(params as SqlValue[])) as SqlRow | undefined) : undefined),
        all: (...params) => (returnsRows ? (prepared.all(...(params as SqlValue[])) as SqlRow[]) : []),
      };
      statements.set(sql, statement);
    }
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
    transaction: <T>(fn: () => T, options?: TransactionOptions): T => {
      // IMMEDIATE takes the write lock up front, so a second process on the
      // same file waits (busy_timeout) instead of failing halfway through.
      if (raw.inTransaction) return fn();
      // In WAL mode NORMAL commits without the fsync and stays atomic: a power cut loses the whole transaction or
      // nothing, and the next FULL commit syncs the WAL with this transaction in it. The fsync was most of a pulled
      // change's tail latency (bench/README.md).
      // (Pragmas, not reused prepared statements: SQLite applies these when the statement is prepared, not when run.)
      if (options?.redoable) raw.pragma('synchronous = NORMAL');
      // The commit checkpoints past this many WAL pages (background-checkpoint.ts); a bulk transaction lets it grow.
      if (onDisk && options?.bulk) {
        raw.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
        checkpoint?.bulk();
      }
      try {
        return raw.transaction(fn).immediate();
      } finally {
        if (options?.redoable) raw.pragma('synchronous = FULL');
        if (onDisk && options?.bulk) raw.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
      }
    },
    close: async () => {
      statements.clear();
      // The worker's connection closes first, so the store's own close is the last one and removes the WAL.
      await checkpoint?.stop();
      if (raw.open) raw.close();
    },
  };
}
