import type { Change, PullResponse } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { fakeClock, sequentialIds } from '../deps.ts';
import { LocalValidationError } from '../errors.ts';
import { applyPullPage } from './apply-pull-page.ts';
import { openBetterSqlite3 } from './better-sqlite3-database.ts';
import { readRow } from './local-rows.ts';
import { migrateLocalStore } from './local-schema.ts';
import { pendingEvents } from './outbox.ts';
import { listRecords } from './read-records.ts';
import type { SqliteDatabase } from './sqlite-database.ts';
import type { StoreContext } from './store-context.ts';
import { readState, writeState } from './sync-state.ts';
import { StoreTooNewError, upgradeStoreSchema } from './upgrade-store-schema.ts';
import { insertRecord, updateRecord } from './write-record.ts';

const TEAM = '30000000-0000-4000-8000-000000000003';
const PATIENT = '40000000-0000-4000-8000-000000000004';
const APPOINTMENT = '50000000-0000-4000-8000-000000000005';
const ORG = '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e';

const booking = {
  team_id: TEAM,
  patient_id: PATIENT,
  starts_at: '2026-03-01T09:00:00.000Z',
  duration_min: 15,
  status: 'booked',
};

/** A store opened the way an engine of `schemaVersion` opens it. */
function storeAt(schemaVersion: number, db: SqliteDatabase = openBetterSqlite3(':memory:')): StoreContext {
  migrateLocalStore(db, schemaVersion);
  upgradeStoreSchema(db, schemaVersion);
  return { db, clock: fakeClock('2026-01-01T00:00:00Z'), ids: sequentialIds(5), schemaVersion };
}

function appointmentColumns(db: SqliteDatabase): string[] {
  return db.all('PRAGMA table_info(appointments)').map((c) => String(c.name));
}

function pulled(data: Record<string, unknown>, version = 1): PullResponse {
  const change: Change = {
    table: 'appointments',
    recordId: APPOINTMENT,
    op: 'UPSERT',
    version,
    organizationId: ORG,
    data: { ...booking, updated_by: 'u1', updated_at: '2026-01-01T00:00:00.000Z', ...data },
  };
  return {
    changes: [change],
    cursor: `v${version}` as PullResponse['cursor'],
    hasMore: false,
    revokedOrganizations: [],
  };
}

describe('a store of schema version 1', () => {
  it('has no appointment kind column, refuses kind as an unknown field and reads rows without it', () => {
    const store = storeAt(1);
    expect(appointmentColumns(store.db)).not.toContain('kind');
    expect(readState(store.db, 'schema_version')).toBe('1');
    expect(() => insertRecord(store, 'appointments', { ...booking, kind: 'vaccination' })).toThrow(
      LocalValidationError,
    );
    const row = insertRecord(store, 'appointments', booking);
    expect(row).not.toHaveProperty('kind');
    expect(() => updateRecord(store, 'appointments', row.id, { kind: 'other' })).toThrow(LocalValidationError);
    expect(listRecords(store.db, 'appointments')[0]).not.toHaveProperty('kind');
    expect(pendingEvents(store)[0]?.data).not.toHaveProperty('kind');
  });

  it('applies a pulled row as version 1 sees it', () => {
    const store = storeAt(1);
    applyPullPage(store, pulled({ reason: 'Cough' }));
    expect(readRow(store.db, 'appointments', APPOINTMENT)?.row).toMatchObject({
      ...booking,
      reason: 'Cough',
      version: 1,
    });
    expect(readRow(store.db, 'appointments', APPOINTMENT)?.row).not.toHaveProperty('kind');
  });
});

describe('upgrading a local store from schema version 1 to 2', () => {
  it('adds the column, keeps rows and unsent edits, and makes the next pull a full resync', () => {
    const db = openBetterSqlite3(':memory:');
    const old = storeAt(1, db);
    applyPullPage(old, pulled({ reason: 'Cough' }));
    const unsent = updateRecord(old, 'appointments', APPOINTMENT, { reason: 'Cough, fever' });
    expect(readState(db, 'cursor')).toBe('v1');

    const upgraded = storeAt(2, db);
    expect(appointmentColumns(db)).toContain('kind');
    expect(readState(db, 'schema_version')).toBe('2');
    expect(readState(db, 'cursor')).toBeNull();
    expect(readState(db, 'resync_in_progress')).toBe('1');
    expect(readRow(db, 'appointments', APPOINTMENT)?.row).toMatchObject({
      reason: 'Cough, fever',
      kind: null,
      version: unsent.version,
    });
    expect(pendingEvents(upgraded).map((e) => e.data)).toEqual([{ reason: 'Cough, fever' }]);

    // The resync brings the kind of rows without unsent edits.
    applyPullPage(upgraded, {
      ...pulled({ kind: 'vaccination' }),
      changes: [{ ...pulled({ kind: 'vaccination' }).changes[0]!, recordId: PATIENT }],
    });
    expect(readRow(db, 'appointments', PATIENT)?.row).toMatchObject({ kind: 'vaccination' });
    expect(insertRecord(upgraded, 'appointments', { ...booking, kind: 'antenatal' })).toMatchObject({
      kind: 'antenatal',
    });
  });

  it('needs no resync for a store that never pulled', () => {
    const db = openBetterSqlite3(':memory:');
    storeAt(1, db);
    storeAt(2, db);
    expect(readState(db, 'resync_in_progress')).toBeNull();
  });

  it('is idempotent: opening again at the same version changes nothing', () => {
    const db = openBetterSqlite3(':memory:');
    const store = storeAt(2, db);
    applyPullPage(store, pulled({ kind: 'procedure' }));
    storeAt(2, db);
    expect(readState(db, 'cursor')).toBe('v1');
    expect(readState(db, 'resync_in_progress')).toBeNull();
  });

  it('refuses to open a store written by a newer version and leaves it as it was', () => {
    const db = openBetterSqlite3(':memory:');
    storeAt(2, db);
    writeState(db, 'cursor', 'kept');
    expect(() => storeAt(1, db)).toThrow(StoreTooNewError);
    expect(readState(db, 'schema_version')).toBe('2');
    expect(readState(db, 'cursor')).toBe('kept');
  });
});
