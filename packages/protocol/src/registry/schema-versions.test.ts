import { describe, expect, it } from 'vitest';
import { columnSince, defineTable, type TableSpec } from './define-table.ts';
import { rowDataSchema } from './row-schema.ts';
import {
  columnsAtVersion,
  columnsKnownAt,
  fieldsForSchemaVersion,
  MIN_SUPPORTED_SCHEMA_VERSION,
  rowForSchemaVersion,
  SCHEMA_VERSION,
} from './schema-versions.ts';
import { TABLE_NAMES, TABLES } from './tables.ts';

// A table as a later schema version might declare it: `email` appears in version 3.
const contacts = defineTable({
  name: 'contacts',
  label: 'contact',
  columns: {
    name: { type: 'text', required: true, label: 'Name', maxLength: 200 },
    email: { type: 'text', required: false, label: 'Email', maxLength: 200, since: 3 },
  },
  scope: { kind: 'self' },
  writeRoles: ['admin'],
  immutable: [],
  strict: [],
});

const APPOINTMENT = {
  team_id: '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e',
  patient_id: '0b8a4c6e-1d2f-4a3b-8c5d-6e7f8a9b0c1d',
  starts_at: '2026-03-01T09:00:00.000Z',
  duration_min: 15,
  status: 'booked',
  reason: 'Cough',
  kind: 'vaccination',
  updated_at: '2026-03-01T08:00:00.000Z',
  updated_by: 'u1',
};

describe('schema versions', () => {
  it('number the registry: every column appeared in a version between 1 and the current one', () => {
    expect(MIN_SUPPORTED_SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    expect(MIN_SUPPORTED_SCHEMA_VERSION).toBeLessThanOrEqual(SCHEMA_VERSION);
    const versions = new Set<number>();
    for (const table of TABLE_NAMES) {
      for (const column of Object.values((TABLES[table] as TableSpec).columns)) {
        const since = columnSince(column);
        expect(Number.isInteger(since) && since >= 1 && since <= SCHEMA_VERSION).toBe(true);
        versions.add(since);
      }
    }
    // Each version after the first changed something, or it would not be a version.
    for (let version = 2; version <= SCHEMA_VERSION; version++)
      expect(versions.has(version), `version ${version}`).toBe(true);
  });

  it('version 2 adds the optional appointment kind, an enum', () => {
    expect(TABLES.appointments.columns.kind).toMatchObject({ type: 'enum', required: false, since: 2 });
    expect(columnsAtVersion('appointments', 1).map(([name]) => name)).not.toContain('kind');
    expect(columnsAtVersion('appointments', 2).map(([name]) => name)).toContain('kind');
    expect(columnsAtVersion('patients', 1)).toEqual(columnsAtVersion('patients', 2));
  });

  it('keeps a version 1 INSERT of an appointment valid and refuses kind from a version 1 client', () => {
    const { kind: _kind, updated_at: _at, updated_by: _by, ...v1 } = APPOINTMENT;
    expect(rowDataSchema(TABLES.appointments, 'insert', 2).safeParse(v1).success).toBe(true);
    expect(rowDataSchema(TABLES.appointments, 'insert', 1).safeParse(v1).success).toBe(true);
    expect(rowDataSchema(TABLES.appointments, 'update', 1).safeParse({ kind: 'other' }).success).toBe(false);
    expect(rowDataSchema(TABLES.appointments, 'update', 2).safeParse({ kind: 'other' }).success).toBe(true);
    expect(rowDataSchema(TABLES.appointments, 'update', 2).safeParse({ kind: 'checkup' }).success).toBe(false);
  });
});

describe('rowForSchemaVersion', () => {
  it('leaves out the appointment kind for a version 1 client and keeps everything else', () => {
    const { kind: _kind, ...expected } = APPOINTMENT;
    expect(rowForSchemaVersion('appointments', APPOINTMENT, 1)).toEqual(expected);
  });

  it('sends the whole row to a client of the current version, also a null kind', () => {
    expect(rowForSchemaVersion('appointments', APPOINTMENT, 2)).toEqual(APPOINTMENT);
    expect(rowForSchemaVersion('appointments', { ...APPOINTMENT, kind: null }, 2)).toEqual({
      ...APPOINTMENT,
      kind: null,
    });
  });

  it('passes keys that are not registry columns (system columns of a conflict record)', () => {
    const record = { id: 'r', version: 3, deleted: false, ...APPOINTMENT };
    const { kind: _kind, ...expected } = record;
    expect(rowForSchemaVersion('appointments', record, 1)).toEqual(expected);
  });

  it('does not change its input', () => {
    const row = { ...APPOINTMENT };
    rowForSchemaVersion('appointments', row, 1);
    expect(row).toEqual(APPOINTMENT);
  });

  it('drops columns newer than the client version of any table spec', () => {
    const row = { name: 'Ada', email: 'ada@example.test', updated_at: 't', updated_by: 'u' };
    expect(columnsKnownAt(contacts, row, 2)).toEqual({ name: 'Ada', updated_at: 't', updated_by: 'u' });
    expect(columnsKnownAt(contacts, row, 3)).toEqual(row);
    expect(columnsKnownAt(contacts, row, 4)).toEqual(row);
  });

  it('is not fooled by keys of the object prototype', () => {
    const row = JSON.parse('{"__proto__": {"x": 1}, "name": "Ada"}') as Record<string, unknown>;
    const known = columnsKnownAt(contacts, row, 1);
    expect(Object.keys(known)).toEqual(['__proto__', 'name']);
    expect(Object.getPrototypeOf(known)).toBe(Object.prototype);
  });
});

describe('fieldsForSchemaVersion', () => {
  it("leaves out a conflict's fields the client version does not know", () => {
    expect(fieldsForSchemaVersion('appointments', ['reason', 'kind', 'status'], 1)).toEqual(['reason', 'status']);
    expect(fieldsForSchemaVersion('appointments', ['reason', 'kind'], 2)).toEqual(['reason', 'kind']);
    expect(fieldsForSchemaVersion('appointments', ['kind'], 1)).toEqual([]);
  });
});
