/** A migrated in-memory local store with a fake clock and predictable ids, for unit tests. */
import { fakeClock, sequentialIds } from '../../src/deps.ts';
import { openBetterSqlite3 } from '../../src/store/better-sqlite3-database.ts';
import { migrateLocalStore } from '../../src/store/local-schema.ts';
import type { StoreContext } from '../../src/store/store-context.ts';

export type TestStore = StoreContext & { readonly clock: ReturnType<typeof fakeClock> };

export function testStore(path = ':memory:'): TestStore {
  const db = openBetterSqlite3(path);
  migrateLocalStore(db);
  return { db, clock: fakeClock('2026-01-01T00:00:00Z'), ids: sequentialIds(9) };
}

export const ORG = '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e';

export function patientData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { organization_id: ORG, given_name: 'Amina', family_name: 'Okafor', ...overrides };
}
