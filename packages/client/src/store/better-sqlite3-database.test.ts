import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BULK_CHECKPOINT_PAGES, WAL_KEPT_BYTES, WRITER_CHECKPOINT_PAGES } from './background-checkpoint.ts';
import { openBetterSqlite3, SIDE_FILES } from './better-sqlite3-database.ts';
import { tempDir } from '../../../../test/support/temp-dir.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('better-sqlite3 store files', () => {
  it('creates the database and its WAL and shared-memory files owner-only, whatever the umask', async () => {
    const previous = process.umask(0o022);
    try {
      const path = join(tempDir('sqlite'), 'nested', 'local.sqlite');
      const db = openBetterSqlite3(path);
      db.exec('CREATE TABLE t (x TEXT)');
      db.run('INSERT INTO t VALUES (?)', ['a']);
      expect(mode(path)).toBe(0o600);
      for (const suffix of ['-wal', '-shm']) expect(mode(path + suffix), suffix).toBe(0o600);
      await db.close();
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a world-readable store left by an earlier version', async () => {
    const path = join(tempDir('sqlite'), 'local.sqlite');
    await openBetterSqlite3(path).close();
    chmodSync(path, 0o644);
    writeFileSync(`${path}-journal`, '', { mode: 0o644 });
    await openBetterSqlite3(path).close();
    expect(mode(path)).toBe(0o600);
    for (const suffix of SIDE_FILES) if (existsSync(path + suffix)) expect(mode(path + suffix), suffix).toBe(0o600);
  });
});

describe('better-sqlite3 store transactions', () => {
  // PRAGMA synchronous: 1 = NORMAL, 2 = FULL.
  const syncLevel = (db: ReturnType<typeof openBetterSqlite3>) => db.get('PRAGMA synchronous')?.synchronous;

  it('commits a redoable transaction without the fsync and every other one with it', async () => {
    const db = openBetterSqlite3(join(tempDir('sqlite'), 'local.sqlite'));
    db.exec('CREATE TABLE t (x TEXT)');
    expect(db.transaction(() => syncLevel(db))).toBe(2);
    expect(db.transaction(() => syncLevel(db), { redoable: true })).toBe(1);
    // Back to FULL afterwards, also when the redoable transaction failed.
    expect(syncLevel(db)).toBe(2);
    expect(() =>
      db.transaction(
        () => {
          db.run('INSERT INTO t VALUES (?)', ['lost']);
          throw new Error('refused');
        },
        { redoable: true },
      ),
    ).toThrow('refused');
    expect(syncLevel(db)).toBe(2);
    expect(db.all('SELECT x FROM t')).toEqual([]);
    await db.close();
  });

  it('keeps the outer transaction durable when a redoable one joins it', async () => {
    const db = openBetterSqlite3(join(tempDir('sqlite'), 'local.sqlite'));
    expect(db.transaction(() => db.transaction(() => syncLevel(db), { redoable: true }))).toBe(2);
    await db.close();
  });

  it('lets the WAL grow further during a bulk transaction only, failed or not', async () => {
    const db = openBetterSqlite3(join(tempDir('sqlite'), 'local.sqlite'));
    const threshold = () => Number(db.get('PRAGMA wal_autocheckpoint')?.wal_autocheckpoint);
    expect(threshold()).toBe(WRITER_CHECKPOINT_PAGES);
    expect(db.transaction(threshold, { redoable: true, bulk: true })).toBe(BULK_CHECKPOINT_PAGES);
    expect(db.transaction(threshold, { redoable: true })).toBe(WRITER_CHECKPOINT_PAGES);
    expect(() =>
      db.transaction(
        () => {
          throw new Error('refused');
        },
        { bulk: true },
      ),
    ).toThrow('refused');
    expect(threshold()).toBe(WRITER_CHECKPOINT_PAGES);
    await db.close();
  });

  it('cuts the WAL file back once a write starts it over after a bulk transaction grew it', async () => {
    const path = join(tempDir('sqlite'), 'local.sqlite');
    const db = openBetterSqlite3(path);
    db.exec('CREATE TABLE t (x BLOB)');
    const blob = new Uint8Array(3000).fill(7);
    db.transaction(
      () => {
        for (let i = 0; i < 10_000; i++) db.run('INSERT INTO t VALUES (?)', [blob]);
      },
      { bulk: true },
    );
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(2 * WAL_KEPT_BYTES);
    // Everything copied into the database (as the background worker does), then an ordinary write starts the WAL over.
    db.get('PRAGMA wal_checkpoint(PASSIVE)');
    db.run('INSERT INTO t VALUES (?)', [blob]);
    expect(statSync(`${path}-wal`).size).toBeLessThanOrEqual(WAL_KEPT_BYTES);
    await db.close();
  });
});
