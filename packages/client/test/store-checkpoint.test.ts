/**
 * The desktop store's WAL checkpoints run in a worker thread
 * (src/store/background-checkpoint.ts), on the encrypted store as on a plain
 * one: the store's own connection checkpoints in a commit only past its
 * threshold, the WAL stays at about one burst of writes, and closing the
 * engine ends the thread.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir.ts';
import { openSyncEngine } from '../src/open-sync-engine.ts';
import { WRITER_CHECKPOINT_PAGES } from '../src/store/background-checkpoint.ts';
import { makeStoreOwnerOnly, openBetterSqlite3 } from '../src/store/better-sqlite3-database.ts';
import type { SqliteDatabase } from '../src/store/sqlite-database.ts';
import { applyStoreKey, storeFileState } from '../src/store/store-cipher.ts';

describe('checkpoints of an encrypted store', () => {
  const BURST_ROWS = 2000;
  const BURSTS = 5;
  const BURST_BYTES = BURST_ROWS * 500;
  const key = randomBytes(32);

  /** Writes `BURSTS` bursts through `db` (each one transaction) with a pause after each; returns the WAL's size. */
  async function walAfterBursts(path: string, db: Pick<SqliteDatabase, 'exec' | 'run' | 'transaction'>) {
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
    for (let i = 0; i < BURSTS; i++) {
      db.transaction(() => {
        for (let j = 0; j < BURST_ROWS; j++) db.run('INSERT INTO t (body) VALUES (?)', ['x'.repeat(500)]);
      });
      await new Promise((done) => setTimeout(done, 600));
    }
    return statSync(`${path}-wal`).size;
  }

  it('checkpoints in a commit only past the writer threshold, and the background thread keeps the WAL to about one burst', async () => {
    const path = join(tempDir('sqlite'), 'local.sqlite');
    const db = openBetterSqlite3(path, { key });
    expect(db.get('PRAGMA wal_autocheckpoint')).toEqual({ wal_autocheckpoint: WRITER_CHECKPOINT_PAGES });
    const wal = await walAfterBursts(path, db);
    await db.close();
    expect(wal).toBeLessThan(2.5 * BURST_BYTES);
    // The last close removed the WAL: the checkpoint thread had closed its connection.
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(storeFileState(path)).toBe('encrypted');
    const reopened = openBetterSqlite3(path, { key });
    expect(reopened.get('SELECT count(*) AS n FROM t')).toEqual({ n: BURSTS * BURST_ROWS });
    await reopened.close();
  });

  it('the check can fail: the same encrypted writer without the background thread holds every burst', async () => {
    const path = join(tempDir('sqlite'), 'local.sqlite');
    makeStoreOwnerOnly(path);
    const raw = new Database(path);
    applyStoreKey(raw, key);
    raw.pragma('journal_mode = WAL');
    raw.pragma('wal_autocheckpoint = 0');
    const wal = await walAfterBursts(path, {
      exec: (sql) => void raw.exec(sql),
      run: (sql, params = []) => ({ changes: raw.prepare(sql).run(...params).changes }),
      transaction: (fn) => raw.transaction(fn)(),
    });
    raw.close();
    expect(wal).toBeGreaterThan(BURSTS * BURST_BYTES * 0.9);
  });

  it('an engine closed on an encrypted store leaves no checkpoint thread behind', async () => {
    const path = join(tempDir('sqlite'), 'local.sqlite');
    const engine = await openSyncEngine({
      dbPath: path,
      encryptionKey: key,
      serverUrl: 'http://127.0.0.1:9',
      getSyncToken: () => null,
      intervalMs: 60_000,
    });
    await engine.close();
    // Only the last connection to close removes the WAL: the thread's connection was closed, and before the store's.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
