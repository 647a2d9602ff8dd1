import { afterEach, describe, expect, it } from 'vitest';
import { fakeSyncServer, writePatients } from '../test/support/fake-sync-server.ts';
import { openSyncEngine } from './open-sync-engine.ts';
import { openBetterSqlite3 } from './store/better-sqlite3-database.ts';
import type { SyncEngine } from './sync-engine.ts';

const engines: SyncEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

describe('the pull loop', () => {
  it("sends the next page's request before it applies the current page, so the two overlap", async () => {
    const server = fakeSyncServer();
    writePatients(server, 9);
    const database = openBetterSqlite3(':memory:');
    const patientsWhenAsked: number[] = [];
    const engine = await openSyncEngine({
      dbPath: ':memory:',
      database,
      serverUrl: 'http://sync.test',
      getSyncToken: () => 'sync-token',
      pullLimit: 3,
      intervalMs: 60_000,
      fetch: (input, init) => {
        if (String(input).includes('/pull'))
          patientsWhenAsked.push(Number(database.get('SELECT count(*) AS n FROM patients')?.n));
        return server.fetch(input, init);
      },
    });
    engines.push(engine);
    await engine.syncNow();
    // Each request after the first left while the page before it was still waiting to be applied.
    expect(patientsWhenAsked).toEqual([0, 0, 3]);
    expect(database.get('SELECT count(*) AS n FROM patients')?.n).toBe(9);
    expect(engine.status().phase).toBe('idle');
    expect(engine.status().lastError).toBeUndefined();
  });
});
