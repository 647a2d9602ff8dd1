/**
 * The SQLite WASM store behind the same contract as better-sqlite3's, checked
 * on SQLite WASM's Node build (in memory: OPFS exists only in a browser; the
 * Chromium suite covers that). The sync engine itself runs on it here too.
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { openSyncEngine, type SqliteDatabase } from '@clinicsync/client';
import { fakeClock, sequentialIds } from '@clinicsync/protocol';
import { openBetterSqlite3 } from '../../../../packages/client/src/store/better-sqlite3-database.ts';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { wrapSqliteWasm } from './sqlite-wasm-database.ts';

let sqlite3: Awaited<ReturnType<typeof sqlite3InitModule>>;
beforeAll(async () => {
  sqlite3 = await sqlite3InitModule();
});
const openWasm = (): SqliteDatabase => wrapSqliteWasm(new sqlite3.oo1.DB(':memory:'));

describe('SqliteDatabase on SQLite WASM', () => {
  it('runs, reads one row or none, and reads all rows with their types', () => {
    const db = openWasm();
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, r REAL, b BLOB, x TEXT)');
    expect(db.run('INSERT INTO t VALUES (?, ?, ?, ?, ?)', ['a', 1, 1.5, new Uint8Array([1, 2]), null])).toEqual({
      changes: 1,
    });
    db.run('INSERT INTO t VALUES (?, ?, ?, ?, ?)', ['b', 2, 2.5, null, 'text']);
    expect(db.get('SELECT id, n, r, x FROM t WHERE id = ?', ['a'])).toEqual({ id: 'a', n: 1, r: 1.5, x: null });
    expect(db.get('SELECT id FROM t WHERE id = ?', ['missing'])).toBeUndefined();
    expect(db.all('SELECT id FROM t ORDER BY id')).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(Array.from(db.get('SELECT b FROM t WHERE id = ?', ['a'])!.b as Uint8Array)).toEqual([1, 2]);
    expect(db.run('UPDATE t SET n = n + 1')).toEqual({ changes: 2 });
    db.close();
  });

  it('reuses a prepared statement with new parameters each time', () => {
    const db = openWasm();
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    expect(db.prepare('INSERT INTO t (id, v) VALUES (?, ?)')).toBe(insert);
    for (let i = 0; i < 5; i++) insert.run(i, `v${i}`);
    // A failed run leaves the statement usable.
    expect(() => insert.run(1, 'again')).toThrow();
    insert.run(9, 'nine');
    expect(db.all('SELECT v FROM t ORDER BY id').map((r) => r.v)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'nine']);
    db.close();
  });

  it('commits a transaction, rolls all of it back on a throw, and joins nested calls to the outer one', () => {
    const db = openWasm();
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    expect(
      db.transaction(() => {
        db.run('INSERT INTO t VALUES (1)');
        return 'done';
      }),
    ).toBe('done');
    expect(() =>
      db.transaction(() => {
        db.run('INSERT INTO t VALUES (2)');
        db.transaction(() => db.run('INSERT INTO t VALUES (3)'));
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(db.all('SELECT id FROM t')).toEqual([{ id: 1 }]);
    // A constraint failure inside rolls back too, and the next transaction works.
    expect(() => db.transaction(() => db.run('INSERT INTO t VALUES (1)'))).toThrow();
    db.transaction(() => db.run('INSERT INTO t VALUES (4)'));
    expect(db.all('SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }, { id: 4 }]);
    db.close();
  });

  it('answers every statement as better-sqlite3 does (property)', () => {
    const statement = fc.oneof(
      fc.record({
        op: fc.constant('put' as const),
        id: fc.integer({ min: 0, max: 20 }),
        v: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)),
      }),
      fc.record({ op: fc.constant('del' as const), id: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ op: fc.constant('fail' as const) }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(statement, { maxLength: 6 }), { maxLength: 8 }), (transactions) => {
        const results = [openWasm(), openBetterSqlite3(':memory:')].map((db) => {
          db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v)');
          const outcomes: unknown[] = [];
          for (const steps of transactions) {
            try {
              db.transaction(() => {
                for (const step of steps) {
                  if (step.op === 'put')
                    outcomes.push(
                      db.run('INSERT INTO t (id, v) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v', [
                        step.id,
                        step.v,
                      ]),
                    );
                  else if (step.op === 'del') outcomes.push(db.run('DELETE FROM t WHERE id = ?', [step.id]));
                  else throw new Error('abort');
                }
              });
              outcomes.push('committed');
            } catch {
              outcomes.push('rolled back');
            }
          }
          outcomes.push(db.all('SELECT id, v FROM t ORDER BY id'));
          db.close();
          return outcomes;
        });
        expect(results[0]).toEqual(results[1]);
      }),
      { numRuns: 60 },
    );
  });

  it('carries the sync engine: writes go to the row and the outbox in one transaction', async () => {
    const database = openWasm();
    const engine = await openSyncEngine({
      dbPath: ':memory:',
      database,
      serverUrl: 'http://127.0.0.1:9',
      getSyncToken: () => null,
      clock: fakeClock('2026-12-01T09:00:00Z'),
      ids: sequentialIds(7),
    });
    const org = engine.insert('organizations', { name: 'Harbour Clinic' });
    const patient = engine.insert('patients', { organization_id: org.id, given_name: 'Amina', family_name: 'Bello' });
    expect(engine.get('patients', patient.id)).toMatchObject({ given_name: 'Amina', family_name: 'Bello', version: 0 });
    expect(engine.searchPatients(org.id, 'bel')).toHaveLength(1);
    expect(engine.status().pending).toBe(2);
    await engine.close();
  });
});
