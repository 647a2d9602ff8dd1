import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_ORG, type FakeSyncServer, fakeSyncServer, writePatients } from '../test/support/fake-sync-server.ts';
import { ORG, patientData, testStore } from '../test/support/test-store.ts';
import { fakeClock } from './deps.ts';
import { openSyncEngine } from './open-sync-engine.ts';
import { createSearchIndexCatchUp } from './search-index-catch-up.ts';
import { openBetterSqlite3 } from './store/better-sqlite3-database.ts';
import { patientTermsStale, searchPatientIndex } from './store/patient-search.ts';
import type { SqliteDatabase } from './store/sqlite-database.ts';
import { insertRecord } from './store/write-record.ts';
import type { SyncEngine, SyncEngineOptions } from './sync-engine.ts';

const engines: SyncEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

async function waitFor(condition: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const indexed = (db: SqliteDatabase) => Number(db.get('SELECT count(*) AS n FROM _patient_search')?.n ?? 0);

/** An engine syncing from `server` into a store the test can read directly. */
async function engineOf(
  server: FakeSyncServer,
  options: Partial<SyncEngineOptions>,
): Promise<{ database: SqliteDatabase; engine: SyncEngine }> {
  const database = openBetterSqlite3(':memory:');
  const engine = await openSyncEngine({
    dbPath: ':memory:',
    database,
    serverUrl: 'http://sync.test',
    getSyncToken: () => 'sync-token',
    fetch: server.fetch,
    intervalMs: 60_000,
    ...options,
  });
  engines.push(engine);
  return { database, engine };
}

describe('the search index catch-up', () => {
  it('indexes every changed patient in steps, without a search', async () => {
    const store = testStore();
    for (let i = 0; i < 25; i++) insertRecord(store, 'patients', patientData({ family_name: `Mensah${i}` }));
    const errors: unknown[] = [];
    const catchUp = createSearchIndexCatchUp(store.db, { onError: (e) => errors.push(e), patientsPerStep: 10 });
    catchUp.schedule();
    expect(indexed(store.db)).toBe(0);
    await waitFor(() => !patientTermsStale(store.db));
    expect(indexed(store.db)).toBe(25);
    expect(searchPatientIndex(store.db, ORG, 'mensah', 100)).toHaveLength(25);
    expect(errors).toEqual([]);
    catchUp.stop();
  });

  it('takes no step after stop, and reports a failing step instead of throwing', async () => {
    const store = testStore();
    insertRecord(store, 'patients', patientData());
    const stopped = createSearchIndexCatchUp(store.db, { onError: () => {} });
    stopped.schedule();
    stopped.stop();
    stopped.schedule();
    await new Promise((r) => setTimeout(r, 30));
    expect(patientTermsStale(store.db)).toBe(true);

    const closed = openBetterSqlite3(':memory:');
    await closed.close();
    const errors: unknown[] = [];
    createSearchIndexCatchUp(closed, { onError: (e) => errors.push(e) }).schedule();
    await waitFor(() => errors.length > 0);
    expect(errors).toHaveLength(1);
  });

  it('runs after an engine has pulled, so the index is complete soon after "Up to date" without any search', async () => {
    const server = fakeSyncServer();
    writePatients(server, 30);
    const { database, engine } = await engineOf(server, { pullLimit: 7 });
    await engine.syncNow();
    expect(engine.status()).toMatchObject({ phase: 'idle' });
    expect(database.get('SELECT count(*) AS n FROM patients')?.n).toBe(30);
    await waitFor(() => !patientTermsStale(database));
    expect(indexed(database)).toBe(30);
    expect(engine.searchPatients(FAKE_ORG, 'boateng29').map((p) => p.family_name)).toEqual(['Boateng29']);
  });

  it('runs again after a later cycle even when the clock did not move', async () => {
    const server = fakeSyncServer();
    writePatients(server, 3);
    const { database, engine } = await engineOf(server, { clock: fakeClock('2026-01-01T00:00:00Z') });
    await engine.syncNow();
    await waitFor(() => !patientTermsStale(database));
    // A colleague's new patient, pulled by a second sync at the same instant: "last pulled" does not change.
    server.write('patients', '10000000-0000-4000-8000-000000000099', {
      organization_id: FAKE_ORG,
      given_name: 'Ama',
      family_name: 'Osei',
    });
    await engine.syncNow();
    expect(database.get('SELECT count(*) AS n FROM patients')?.n).toBe(4);
    await waitFor(() => !patientTermsStale(database));
    expect(indexed(database)).toBe(4);
  });
});
