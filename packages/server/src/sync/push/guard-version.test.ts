import { TABLES, versionSchema, type EventId, type TableName } from '@clinicsync/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScopedEvent, StoredRow } from './event-types.ts';
import { guardVersion } from './guard-version.ts';

const ORG = '00000000-0000-4000-8000-000000000001';
const RECORD = '00000000-0000-4000-8000-000000000002';

function event(
  table: TableName,
  op: ScopedEvent['op'],
  baseVersion: number,
  data: Record<string, unknown> = {},
): ScopedEvent {
  return {
    eventId: '00000000-0000-4000-8000-0000000000e1' as EventId,
    table,
    spec: TABLES[table],
    op,
    recordId: RECORD,
    baseVersion,
    data,
    organizationId: ORG,
  };
}

function stored(
  version: number,
  fieldVersions: Record<string, number> = {},
  values: Record<string, unknown> = {},
): StoredRow {
  return {
    id: RECORD,
    version: versionSchema.parse(version),
    updatedAt: '2026-01-01T00:00:00.000Z',
    updatedBy: ORG,
    deleted: false,
    fieldVersions,
    values,
  };
}

describe('guardVersion', () => {
  it('writes an INSERT of a new id', () => {
    expect(guardVersion(event('patients', 'INSERT', 0, { given_name: 'A' }), undefined, TABLES.patients)).toEqual({
      kind: 'write',
    });
  });

  it('answers an INSERT of an existing id with a conflict carrying the stored version', () => {
    expect(guardVersion(event('patients', 'INSERT', 0, { given_name: 'A' }), stored(4), TABLES.patients)).toEqual({
      kind: 'conflict',
      serverVersion: 4,
      fields: [],
    });
  });

  it.each([
    ['an UPDATE', 'UPDATE', { phone: '1' }],
    ['a DELETE', 'DELETE', {}],
  ] as const)('writes %s based on the stored version', (_name, op, data) => {
    expect(guardVersion(event('patients', op, 3, data), stored(3), TABLES.patients)).toEqual({ kind: 'write' });
  });

  it('merges a stale edit of a merge field nobody changed since its base', () => {
    const row = stored(3, { address: 3 });
    expect(guardVersion(event('patients', 'UPDATE', 2, { phone: '1' }), row, TABLES.patients)).toEqual({
      kind: 'merge',
      fields: ['phone'],
    });
  });

  it('refuses a stale edit of a merge field that changed on the server since its base', () => {
    const row = stored(3, { phone: 3 });
    expect(guardVersion(event('patients', 'UPDATE', 2, { phone: '1', address: 'x' }), row, TABLES.patients)).toEqual({
      kind: 'conflict',
      serverVersion: 3,
      fields: ['phone'],
    });
  });

  it('refuses a stale edit to a strict field even when it did not change', () => {
    const row = stored(3, { phone: 3 });
    expect(guardVersion(event('patients', 'UPDATE', 2, { given_name: 'B' }), row, TABLES.patients)).toEqual({
      kind: 'conflict',
      serverVersion: 3,
      fields: ['given_name'],
    });
  });

  it('refuses a stale edit on a table where every field is strict', () => {
    const row = stored(2, { dose: 2 });
    expect(guardVersion(event('medications', 'UPDATE', 1, { route: 'oral' }), row, TABLES.medications)).toEqual({
      kind: 'conflict',
      serverVersion: 2,
      fields: ['route'],
    });
    expect(guardVersion(event('medications', 'UPDATE', 1, { dose: '5 mg' }), row, TABLES.medications)).toEqual({
      kind: 'conflict',
      serverVersion: 2,
      fields: ['dose'],
    });
  });

  it('refuses a baseVersion the server never gave out', () => {
    expect(guardVersion(event('patients', 'UPDATE', 9, { phone: '1' }), stored(3), TABLES.patients)).toEqual({
      kind: 'conflict',
      serverVersion: 3,
      fields: ['phone'],
    });
  });

  it('refuses a stale DELETE and names the fields changed since its base', () => {
    const row = stored(3, { phone: 3, notes: 2 }, { phone: '1', notes: 'n', address: null });
    expect(guardVersion(event('patients', 'DELETE', 2), row, TABLES.patients)).toEqual({
      kind: 'conflict',
      serverVersion: 3,
      fields: ['phone'],
    });
  });

  it('treats fields never changed since INSERT as changed at version 1', () => {
    expect(
      guardVersion(event('patients', 'UPDATE', 1, { phone: '1' }), stored(2, { address: 2 }), TABLES.patients).kind,
    ).toBe('merge');
  });
});

/**
 * The merge algebra: replay random edits from many devices against one row,
 * each based on some version the device saw. Whatever the guard lets through
 * must never overwrite a field value the writer had not seen: every field an
 * applied event writes was last written at or below that event's baseVersion
 * (or the event is current). So a value once acknowledged is only ever
 * replaced by someone who saw it.
 */
describe('field-level merge (property)', () => {
  const FIELDS = ['phone', 'address', 'notes', 'given_name'] as const;
  const edit = fc.record({
    fields: fc.subarray([...FIELDS], { minLength: 1 }),
    // How far behind the latest version the device is (0 = current).
    lag: fc.nat({ max: 4 }),
    value: fc.string({ maxLength: 3 }),
  });

  it('never loses an acknowledged field value', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 40 }), (edits) => {
        let row = stored(1);
        const values: Record<string, string> = {};
        // Which event (by index) wrote each field's current value, and at which version.
        const writtenAt: Record<string, number> = {};
        edits.forEach((e, index) => {
          const base = Math.max(1, row.version - e.lag);
          const data = Object.fromEntries(e.fields.map((f) => [f, `${e.value}#${index}`]));
          const decision = guardVersion(event('patients', 'UPDATE', base, data), row, TABLES.patients);
          if (decision.kind === 'conflict') {
            expect(decision.serverVersion).toBe(row.version);
            return; // A conflict writes nothing.
          }
          for (const f of e.fields) {
            // The writer saw the value it replaces.
            expect(writtenAt[f] ?? 1).toBeLessThanOrEqual(base);
            if (decision.kind === 'merge') expect(TABLES.patients.strict).not.toContain(f);
          }
          const next = row.version + 1;
          for (const f of e.fields) {
            values[f] = data[f]!;
            writtenAt[f] = next;
          }
          row = stored(next, { ...row.fieldVersions, ...Object.fromEntries(e.fields.map((f) => [f, next])) });
        });
        // Every field's final value is the one of the last event that wrote it.
        for (const f of FIELDS) {
          if (writtenAt[f] !== undefined) expect(row.fieldVersions[f]).toBe(writtenAt[f]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('applies disjoint stale edits from two devices', () => {
    fc.assert(
      fc.property(fc.subarray(['phone', 'address', 'notes'], { minLength: 1 }), (mine) => {
        const theirs = ['phone', 'address', 'notes'].filter((f) => !mine.includes(f));
        const row = stored(2, Object.fromEntries(theirs.map((f) => [f, 2])));
        const decision = guardVersion(
          event('patients', 'UPDATE', 1, Object.fromEntries(mine.map((f) => [f, 'x']))),
          row,
          TABLES.patients,
        );
        expect(decision).toEqual({ kind: 'merge', fields: mine });
      }),
    );
  });
});
