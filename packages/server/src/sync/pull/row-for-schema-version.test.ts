import { defineTable, TABLES, type ColumnSpec } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { columnsKnownAt, rowForSchemaVersion } from './row-for-schema-version.ts';

// A table as a later schema version might declare it: `email` appears in version 2.
const contacts = defineTable({
  name: 'contacts',
  label: 'contact',
  columns: {
    name: { type: 'text', required: true, label: 'Name', maxLength: 200 },
    email: { type: 'text', required: false, label: 'Email', maxLength: 200, since: 2 } as ColumnSpec,
  },
  scope: { kind: 'self' },
  writeRoles: ['admin'],
  immutable: [],
  strict: [],
});

describe('rowForSchemaVersion', () => {
  it('drops columns newer than the client schema version', () => {
    const row = { name: 'Ada', email: 'ada@example.test', updated_at: '2026-01-01T00:00:00.000Z', updated_by: 'u' };
    expect(columnsKnownAt(contacts, row, 1)).toEqual({ name: 'Ada', updated_at: '2026-01-01T00:00:00.000Z', updated_by: 'u' });
  });

  it('keeps columns the client version knows', () => {
    const row = { name: 'Ada', email: 'ada@example.test' };
    expect(columnsKnownAt(contacts, row, 2)).toEqual(row);
    expect(columnsKnownAt(contacts, row, 3)).toEqual(row);
  });

  it('sends a version 1 row of the current registry unchanged to a version 1 client', () => {
    const row = { organization_id: 'o', given_name: 'Ada', family_name: 'L', notes: null, updated_at: 't', updated_by: 'u' };
    expect(rowForSchemaVersion('patients', row, 1)).toEqual(row);
    expect(Object.keys(TABLES.patients.columns)).toContain('given_name');
  });
});
