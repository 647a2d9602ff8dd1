import type { EventResult } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { patientData, testStore, type TestStore } from '../../test/support/test-store.ts';
import { listConflicts, listDeadLetters } from './conflict-inbox.ts';
import { readRow } from './local-rows.ts';
import { outboxReport, pendingEvents, takeBatch } from './outbox.ts';
import { readServerRow } from './server-rows.ts';
import { deleteRecord, insertRecord, updateRecord } from './write-record.ts';

const applied = (eventId: string, version: number) => ({ eventId, status: 'applied', version }) as EventResult;

/** A patient the server has acknowledged at `version`, with no unsent edits. */
function syncedPatient(store: TestStore, version: number, overrides: Record<string, unknown> = {}) {
  const row = insertRecord(store, 'patients', patientData(overrides));
  store.db.run('UPDATE patients SET version = ?, updated_by = ? WHERE id = ?', [version, 'u1', row.id]);
  store.db.run('DELETE FROM _outbox WHERE record_id = ?', [row.id]);
  store.db.run('DELETE FROM _server_rows WHERE record_id = ?', [row.id]);
  return readRow(store.db, 'patients', row.id)!.row;
}

describe('takeBatch', () => {
  it('hands out the oldest events first, at most `limit`, and says when more wait', () => {
    const store = testStore();
    const ids = [1, 2, 3].map((n) => insertRecord(store, 'patients', patientData({ given_name: `P${n}` })).id);
    const batch = takeBatch(store, 2);
    expect(batch.events.map((e) => e.recordId)).toEqual(ids.slice(0, 2));
    expect(batch.hasMore).toBe(true);
    expect(takeBatch(store, 3).hasMore).toBe(false);
  });

  it('cuts the batch before a second event of the same record', () => {
    const store = testStore();
    const a = insertRecord(store, 'patients', patientData());
    const b = insertRecord(store, 'patients', patientData());
    updateRecord(store, 'patients', a.id, { phone: '1' });
    insertRecord(store, 'patients', patientData());
    const batch = takeBatch(store, 500);
    expect(batch.events.map((e) => e.recordId)).toEqual([a.id, b.id]);
    expect(batch.hasMore).toBe(true);
  });

  it('keeps a batch under the byte budget but always sends at least one event', () => {
    const store = testStore();
    for (let i = 0; i < 3; i += 1) insertRecord(store, 'patients', patientData({ notes: 'n'.repeat(9_000) }));
    expect(takeBatch(store, 500, 10).events).toHaveLength(1);
    expect(takeBatch(store, 500, 60_000).events).toHaveLength(2);
  });
});

describe('complete', () => {
  it('drops applied events and records the server version on the row', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    const batch = takeBatch(store, 500);
    const summary = batch.complete([applied(batch.events[0]!.eventId, 1)]);
    expect(summary).toEqual({ applied: 1, conflicts: 0, rejected: 0, unanswered: 0 });
    expect(pendingEvents(store)).toEqual([]);
    expect(readRow(store.db, 'patients', row.id)?.row.version).toBe(1);
    expect(readServerRow(store.db, 'patients', row.id)).toBeUndefined();
  });

  it('settles a duplicate by its original outcome', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    const batch = takeBatch(store, 500);
    batch.complete([
      {
        eventId: batch.events[0]!.eventId,
        status: 'duplicate',
        original: { status: 'applied', version: 1 },
      } as EventResult,
    ]);
    expect(pendingEvents(store)).toEqual([]);
    expect(readRow(store.db, 'patients', row.id)?.row.version).toBe(1);
  });

  it('files a conflict with both sides and shows the server row again', () => {
    const store = testStore();
    const row = syncedPatient(store, 3);
    updateRecord(store, 'patients', row.id, { given_name: 'Mine' });
    const batch = takeBatch(store, 500);
    const server = {
      ...patientData({ given_name: 'Theirs' }),
      id: row.id,
      version: 4,
      updated_by: 'u2',
      updated_at: '2026-01-02T00:00:00.000Z',
      deleted: false,
    };
    batch.complete([
      {
        eventId: batch.events[0]!.eventId,
        status: 'conflict',
        serverVersion: 4,
        serverRecord: server,
        fields: ['given_name'],
      } as unknown as EventResult,
    ]);
    expect(pendingEvents(store)).toEqual([]);
    const [conflict] = listConflicts(store);
    expect(conflict).toMatchObject({
      recordId: row.id,
      op: 'UPDATE',
      fields: ['given_name'],
      serverVersion: 4,
      changes: { given_name: 'Mine' },
    });
    expect(conflict!.local).toMatchObject({ given_name: 'Mine', version: 3 });
    expect(conflict!.server).toMatchObject({ given_name: 'Theirs', version: 4 });
    expect(readRow(store.db, 'patients', row.id)?.row).toMatchObject({
      given_name: 'Theirs',
      version: 4,
      updated_by: 'u2',
    });
    expect(outboxReport(store).openConflicts).toBe(1);
  });

  it('moves a rejected event to the dead letters and undoes it locally', () => {
    const store = testStore();
    const patient = syncedPatient(store, 1);
    const vital = insertRecord(store, 'vitals', {
      patient_id: patient.id,
      kind: 'heart_rate',
      value: 80,
      unit: '/min',
      recorded_at: '2026-01-01T00:00:00Z',
    });
    const batch = takeBatch(store, 500);
    batch.complete([
      {
        eventId: batch.events[0]!.eventId,
        status: 'rejected',
        code: 'forbidden',
        message: 'Receptionists may not record vitals.',
      } as EventResult,
    ]);
    expect(pendingEvents(store)).toEqual([]);
    expect(listDeadLetters(store)).toMatchObject([
      { recordId: vital.id, op: 'INSERT', code: 'forbidden', data: { kind: 'heart_rate', value: 80 } },
    ]);
    expect(readRow(store.db, 'vitals', vital.id)).toBeUndefined();
  });

  it('a rejected UPDATE falls back to the last known server state', () => {
    const store = testStore();
    const row = syncedPatient(store, 2, { phone: 'old' });
    updateRecord(store, 'patients', row.id, { phone: 'new' });
    const batch = takeBatch(store, 500);
    batch.complete([
      { eventId: batch.events[0]!.eventId, status: 'rejected', code: 'forbidden', message: 'no' } as EventResult,
    ]);
    expect(readRow(store.db, 'patients', row.id)?.row).toMatchObject({ phone: 'old', version: 2 });
  });

  it('a refused event does not block the events behind it', () => {
    const store = testStore();
    const first = insertRecord(store, 'patients', patientData());
    const second = insertRecord(store, 'patients', patientData());
    const batch = takeBatch(store, 500);
    batch.complete([
      { eventId: batch.events[0]!.eventId, status: 'rejected', code: 'forbidden', message: 'no' } as EventResult,
      applied(batch.events[1]!.eventId, 1),
    ]);
    expect(pendingEvents(store)).toEqual([]);
    expect(readRow(store.db, 'patients', first.id)).toBeUndefined();
    expect(readRow(store.db, 'patients', second.id)?.row.version).toBe(1);
  });

  it('leaves events the answer does not mention in the outbox', () => {
    const store = testStore();
    insertRecord(store, 'patients', patientData());
    const batch = takeBatch(store, 500);
    expect(batch.complete([]).unanswered).toBe(1);
    expect(pendingEvents(store)).toHaveLength(1);
  });

  it('is applied once', () => {
    const store = testStore();
    insertRecord(store, 'patients', patientData());
    const batch = takeBatch(store, 500);
    batch.complete([]);
    expect(() => batch.complete([])).toThrow();
  });
});

describe('rebase', () => {
  it('moves the later pending events of a record onto the version its earlier event got', () => {
    const store = testStore();
    const row = syncedPatient(store, 3);
    updateRecord(store, 'patients', row.id, { phone: '1' });
    updateRecord(store, 'patients', row.id, { phone: '2' });
    deleteRecord(store, 'patients', row.id);
    expect(pendingEvents(store).map((e) => e.baseVersion)).toEqual([3, 3, 3]);

    let batch = takeBatch(store, 500);
    expect(batch.events).toHaveLength(1);
    batch.complete([applied(batch.events[0]!.eventId, 4)]);
    expect(pendingEvents(store).map((e) => e.baseVersion)).toEqual([4, 4]);

    batch = takeBatch(store, 500);
    batch.complete([applied(batch.events[0]!.eventId, 5)]);
    expect(pendingEvents(store).map((e) => e.baseVersion)).toEqual([5]);
    expect(readRow(store.db, 'patients', row.id)?.row).toMatchObject({ version: 5, phone: '2', deleted: true });
  });

  it('rebases an offline INSERT followed by edits onto version 1', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    updateRecord(store, 'patients', row.id, { phone: '1' });
    const batch = takeBatch(store, 500);
    batch.complete([applied(batch.events[0]!.eventId, 1)]);
    expect(pendingEvents(store)).toMatchObject([{ op: 'UPDATE', baseVersion: 1 }]);
  });

  it('keeps a later edit from falling back to before an applied earlier one', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    updateRecord(store, 'patients', row.id, { phone: '1' });
    let batch = takeBatch(store, 500);
    batch.complete([applied(batch.events[0]!.eventId, 1)]);
    batch = takeBatch(store, 500);
    batch.complete([
      { eventId: batch.events[0]!.eventId, status: 'rejected', code: 'forbidden', message: 'no' } as EventResult,
    ]);
    // The INSERT reached the server: the row stays, without the refused phone.
    expect(readRow(store.db, 'patients', row.id)?.row).toMatchObject({ version: 1, phone: null, given_name: 'Amina' });
  });

  it('does not rebase over server changes this device has not seen (a merged apply)', () => {
    const store = testStore();
    const row = syncedPatient(store, 3);
    updateRecord(store, 'patients', row.id, { phone: '1' });
    updateRecord(store, 'patients', row.id, { address: 'x' });
    const batch = takeBatch(store, 500);
    // Applied as 6: someone else wrote versions 4 and 5, which this device has not pulled.
    batch.complete([applied(batch.events[0]!.eventId, 6)]);
    expect(pendingEvents(store).map((e) => e.baseVersion)).toEqual([3]);
    expect(readRow(store.db, 'patients', row.id)?.row.version).toBe(3);
  });
});
