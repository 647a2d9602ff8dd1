import type { Change, PullResponse } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { ORG, patientData, testStore } from '../../test/support/test-store.ts';
import { applyPullPage } from './apply-pull-page.ts';
import { readRow } from './local-rows.ts';
import { migrateLocalStore } from './local-schema.ts';
import type { SqliteDatabase } from './sqlite-database.ts';
import { readState } from './sync-state.ts';
import { insertRecord } from './write-record.ts';

const id = (n: number) => `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function upsert(n: number, version = 1): Change {
  return {
    table: 'patients',
    recordId: id(n),
    op: 'UPSERT',
    version,
    organizationId: ORG,
    data: { ...patientData({ family_name: `F${n}` }), updated_by: 'u1', updated_at: '2026-01-01T00:00:00.000Z' },
  };
}

function page(changes: Change[], hasMore: boolean, cursor = `c${changes.length}`): PullResponse {
  return { changes, cursor: cursor as PullResponse['cursor'], hasMore, revokedOrganizations: [] };
}

function secondaryIndexes(db: SqliteDatabase): string[] {
  return db
    .all(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = 'patients' ORDER BY name",
    )
    .map((row) => String(row.name));
}

describe('bulk load of a first sync', () => {
  it('loads a first sync without secondary indexes and builds them when it ends', () => {
    const store = testStore();
    const indexes = secondaryIndexes(store.db);
    expect(indexes).toContain('patients_family_search_idx');

    applyPullPage(store, page([upsert(1), upsert(2)], true, 'c1'));
    expect(secondaryIndexes(store.db)).toEqual([]);
    expect(readState(store.db, 'bulk_load')).toBe('1');

    applyPullPage(store, page([upsert(3)], false, 'c2'));
    expect(secondaryIndexes(store.db)).toEqual(indexes);
    expect(readState(store.db, 'bulk_load')).toBeNull();
    expect(readState(store.db, 'cursor')).toBe('c2');
    expect([1, 2, 3].map((n) => readRow(store.db, 'patients', id(n))?.row.family_name)).toEqual(['F1', 'F2', 'F3']);
  });

  it('keeps the indexes when the first page fails', () => {
    const store = testStore();
    const indexes = secondaryIndexes(store.db);
    store.db.exec(
      `CREATE TRIGGER no_p2 BEFORE INSERT ON patients WHEN NEW.id = '${id(2)}' BEGIN SELECT RAISE(ABORT, 'boom'); END`,
    );
    expect(() => applyPullPage(store, page([upsert(1), upsert(2)], true))).toThrow();
    expect(secondaryIndexes(store.db)).toEqual(indexes);
    expect(readState(store.db, 'bulk_load')).toBeNull();
  });

  it('is not used when the store already holds rows (a full resync, or edits made before the first sync)', () => {
    const store = testStore();
    insertRecord(store, 'patients', patientData());
    applyPullPage(store, page([upsert(1)], true));
    expect(secondaryIndexes(store.db)).toContain('patients_family_search_idx');
    expect(readState(store.db, 'bulk_load')).toBeNull();
  });

  it('is not used for a first sync that fits in one page', () => {
    const store = testStore();
    const indexes = secondaryIndexes(store.db);
    applyPullPage(store, page([upsert(1)], false));
    expect(secondaryIndexes(store.db)).toEqual(indexes);
    expect(readState(store.db, 'bulk_load')).toBeNull();
  });

  it('gets its indexes back when the store is opened again halfway through a load', () => {
    const store = testStore();
    const indexes = secondaryIndexes(store.db);
    applyPullPage(store, page([upsert(1)], true, 'c1'));
    migrateLocalStore(store.db);
    expect(secondaryIndexes(store.db)).toEqual(indexes);
    applyPullPage(store, page([upsert(2)], false, 'c2'));
    expect(secondaryIndexes(store.db)).toEqual(indexes);
    expect(readState(store.db, 'bulk_load')).toBeNull();
  });
});
