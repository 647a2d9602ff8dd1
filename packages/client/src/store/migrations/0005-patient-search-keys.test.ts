import { afterEach, describe, expect, it } from 'vitest';
import { openSyncEngine } from '../../open-sync-engine.ts';
import type { SyncEngine } from '../../sync-engine.ts';
import { openBetterSqlite3 } from '../better-sqlite3-database.ts';
import { migrateLocalStore, STORE_MIGRATIONS, storeFormatVersion } from '../local-schema.ts';
import { patientTermsStale, searchPatientIndex } from '../patient-search.ts';
import type { SqliteDatabase } from '../sqlite-database.ts';

const ORG = '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e';
const engines: SyncEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

/** A store as the app left it with four store migrations: patients indexed in 0003's `_patient_terms`. */
function storeOfFormat4(): SqliteDatabase {
  const db = openBetterSqlite3(':memory:');
  for (const [index, migration] of STORE_MIGRATIONS.slice(0, 4).entries()) {
    db.transaction(() => {
      migration.up(db);
      db.exec(`PRAGMA user_version = ${index + 1}`);
    });
  }
  for (const [n, [given, family]] of [
    ['Amina', 'Okafor'],
    ['Kofi', 'Boateng'],
  ].entries()) {
    const id = `10000000-0000-4000-8000-00000000000${n}`;
    db.run(
      `INSERT INTO patients (id, version, updated_at, updated_by, deleted, _organization_id, organization_id, given_name, family_name)
       VALUES (?, 1, '2026-01-01T00:00:00.000Z', 'u1', 0, ?, ?, ?, ?)`,
      [id, ORG, ORG, given!, family!],
    );
    for (const term of [given!.toLowerCase(), family!.toLowerCase()])
      db.run('INSERT INTO _patient_terms (organization_id, term, patient_id, sort_key) VALUES (?, ?, ?, ?)', [
        ORG,
        term,
        id,
        `${family!.toLowerCase()}\u0001${given!.toLowerCase()}\u0001${id}`,
      ]);
  }
  db.run('DELETE FROM _patient_terms_stale');
  return db;
}

describe('store migration 0005-patient-search-keys', () => {
  it('replaces the old term table and indexes every patient again before the first search', () => {
    const db = storeOfFormat4();
    migrateLocalStore(db);
    expect(storeFormatVersion(db)).toBe(STORE_MIGRATIONS.length);
    expect(db.get("SELECT 1 AS found FROM sqlite_master WHERE name = '_patient_terms'")).toBeUndefined();
    expect(patientTermsStale(db)).toBe(true);
    expect(searchPatientIndex(db, ORG, 'okafor').map((p) => p.given_name)).toEqual(['Amina']);
    expect(searchPatientIndex(db, ORG, 'kofi').map((p) => p.family_name)).toEqual(['Boateng']);
    // The triggers of 0003 still note changes for the new index.
    db.run("UPDATE patients SET family_name = 'Mensah' WHERE given_name = 'Kofi'");
    expect(searchPatientIndex(db, ORG, 'boateng')).toEqual([]);
    expect(searchPatientIndex(db, ORG, 'mensah').map((p) => p.given_name)).toEqual(['Kofi']);
    db.close();
  });

  it('leaves the engine opening an upgraded store to rebuild the index in the background', async () => {
    const database = storeOfFormat4();
    const engine = await openSyncEngine({
      dbPath: ':memory:',
      database,
      serverUrl: 'http://sync.invalid',
      getSyncToken: () => null,
      intervalMs: 3_600_000,
    });
    engines.push(engine);
    const until = Date.now() + 3_000;
    while (patientTermsStale(database) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    expect(patientTermsStale(database)).toBe(false);
    expect(database.get('SELECT count(*) AS n FROM _patient_search')?.n).toBe(2);
  });
});
