import { describe, expect, it } from 'vitest';
import { LocalValidationError, NotFoundError } from '../errors.ts';
import { fakeClock } from '../deps.ts';
import { ORG, patientData, testStore } from '../../test/support/test-store.ts';
import { readRow } from './local-rows.ts';
import { pendingEvents } from './outbox.ts';
import { toSyncEvent } from './outbox-event.ts';
import { readServerRow } from './server-rows.ts';
import { deleteRecord, insertRecord, updateRecord } from './write-record.ts';

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LocalValidationError);
    return (error as LocalValidationError).issues;
  }
  throw new Error('expected a LocalValidationError');
}

describe('insertRecord', () => {
  it('writes the row and its INSERT event in one go, version 0 until acknowledged', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData({ phone: '+254 700' }));
    expect(row).toMatchObject({
      version: 0,
      deleted: false,
      given_name: 'Amina',
      phone: '+254 700',
      birth_date: null,
      updated_by: null,
    });
    expect(readRow(store.db, 'patients', row.id)?.organizationId).toBe(ORG);
    const [event] = pendingEvents(store);
    expect(event).toMatchObject({ table: 'patients', op: 'INSERT', recordId: row.id, baseVersion: 0 });
    // A clinic number is given on the device (docs/clinic-numbers.md).
    expect(event!.data).toEqual(patientData({ phone: '+254 700', identifier: '800000-0001' }));
  });

  it('judges a birth date by the device’s calendar and sends the day with the event (a baby born this morning in Auckland)', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Auckland';
    try {
      // 20:00 UTC on 31 December is 09:00 on 1 January in Auckland (UTC+13).
      const store = { ...testStore(), clock: fakeClock('2025-12-31T20:00:00Z') };
      insertRecord(store, 'patients', patientData({ birth_date: '2026-01-01' }));
      expect(toSyncEvent(pendingEvents(store)[0]!).createdAt).toBe('2026-01-01T09:00:00.000+13:00');
      expect(issuesOf(() => insertRecord(store, 'patients', patientData({ birth_date: '2026-01-02' })))).toEqual([
        { path: 'birth_date', code: 'in_future' },
      ]);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('keeps a caller-chosen id and refuses a second insert of it', () => {
    const store = testStore();
    const id = '11111111-1111-4111-8111-111111111111';
    expect(insertRecord(store, 'patients', { ...patientData(), id }).id).toBe(id);
    expect(issuesOf(() => insertRecord(store, 'patients', { ...patientData(), id }))).toEqual([
      { path: 'id', code: 'already_exists' },
    ]);
    expect(pendingEvents(store)).toHaveLength(1);
  });

  it.each([
    ['a missing required column', { given_name: undefined }, 'given_name'],
    ['a value outside the enum', { sex: 'f' }, 'sex'],
    ['an over-long note', { notes: 'x'.repeat(10_001) }, 'notes'],
    ['an impossible date', { birth_date: '1990-02-30' }, 'birth_date'],
    ['a server-owned column', { version: 3 }, '(root)'],
  ])('refuses %s locally with the server path and queues nothing', (_rule, overrides, path) => {
    const store = testStore();
    const issues = issuesOf(() => insertRecord(store, 'patients', patientData(overrides)));
    expect(issues.map((i) => i.path)).toContain(path);
    for (const issue of issues) expect(Object.keys(issue).sort()).toEqual(['code', 'path']);
    expect(pendingEvents(store)).toEqual([]);
    expect(store.db.get('SELECT count(*) AS n FROM patients')?.n).toBe(0);
  });

  it('refuses an unknown table', () => {
    const store = testStore();
    expect(issuesOf(() => insertRecord(store, 'invoices' as never, {}))).toEqual([
      { path: 'table', code: 'unknown_table' },
    ]);
  });

  it('derives the organization of a child row from its local parent', () => {
    const store = testStore();
    const patient = insertRecord(store, 'patients', patientData());
    const vital = insertRecord(store, 'vitals', {
      patient_id: patient.id,
      kind: 'heart_rate',
      value: 72,
      unit: '/min',
      recorded_at: '2025-12-31T10:00:00Z',
    });
    expect(readRow(store.db, 'vitals', vital.id)?.organizationId).toBe(ORG);
  });
});

describe('updateRecord', () => {
  it('queues only the fields whose value changed, based on the row version', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    store.db.run('UPDATE patients SET version = 4 WHERE id = ?', [row.id]);
    store.db.run('DELETE FROM _outbox');
    store.db.run('DELETE FROM _server_rows');
    const updated = updateRecord(store, 'patients', row.id, { given_name: 'Amina', phone: '+1 555' });
    expect(updated).toMatchObject({ phone: '+1 555', version: 4 });
    expect(pendingEvents(store)).toMatchObject([{ op: 'UPDATE', baseVersion: 4, data: { phone: '+1 555' } }]);
  });

  it('writes nothing when nothing changes', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    updateRecord(store, 'patients', row.id, { given_name: 'Amina' });
    expect(pendingEvents(store)).toHaveLength(1);
  });

  it('refuses a change to an immutable field with the server code', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    expect(
      issuesOf(() =>
        updateRecord(store, 'patients', row.id, { organization_id: '22222222-2222-4222-8222-222222222222' }),
      ),
    ).toEqual([{ path: 'organization_id', code: 'immutable_field' }]);
  });

  it('refuses an empty change and null for a required field', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    expect(() => updateRecord(store, 'patients', row.id, {})).toThrow(LocalValidationError);
    expect(issuesOf(() => updateRecord(store, 'patients', row.id, { given_name: null })).map((i) => i.path)).toEqual([
      'given_name',
    ]);
  });

  it('throws NotFoundError for a missing or deleted row', () => {
    const store = testStore();
    expect(() => updateRecord(store, 'patients', '33333333-3333-4333-8333-333333333333', { phone: '1' })).toThrow(
      NotFoundError,
    );
    const row = insertRecord(store, 'patients', patientData());
    deleteRecord(store, 'patients', row.id);
    expect(() => updateRecord(store, 'patients', row.id, { phone: '1' })).toThrow(NotFoundError);
  });

  it('remembers the server state before the first unsent edit, and only then', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    store.db.run('UPDATE patients SET version = 2 WHERE id = ?', [row.id]);
    store.db.run('DELETE FROM _outbox');
    store.db.run('DELETE FROM _server_rows');
    updateRecord(store, 'patients', row.id, { phone: '1' });
    updateRecord(store, 'patients', row.id, { phone: '2' });
    expect(readServerRow(store.db, 'patients', row.id)).toMatchObject({
      version: 2,
      row: { phone: null, given_name: 'Amina' },
    });
  });

  it('rolls back the row when the event cannot be queued', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    store.db.exec('DROP TABLE _outbox');
    expect(() => updateRecord(store, 'patients', row.id, { phone: '9' })).toThrow();
    expect(readRow(store.db, 'patients', row.id)?.row.phone).toBeNull();
  });
});

describe('deleteRecord', () => {
  it('leaves a tombstone and queues a DELETE without data', () => {
    const store = testStore();
    const row = insertRecord(store, 'patients', patientData());
    deleteRecord(store, 'patients', row.id);
    expect(readRow(store.db, 'patients', row.id)?.row.deleted).toBe(true);
    expect(pendingEvents(store).at(-1)).toMatchObject({ op: 'DELETE', baseVersion: 0, data: null });
    expect(() => deleteRecord(store, 'patients', row.id)).toThrow(NotFoundError);
  });
});
