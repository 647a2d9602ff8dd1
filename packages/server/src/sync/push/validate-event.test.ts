import { describe, expect, it } from 'vitest';
import { validateEvent } from './validate-event.ts';

const ORG = '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e';
const patient = { organization_id: ORG, given_name: 'Amina', family_name: 'Okafor' };

function raw(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: '3b7c0f9e-8d1a-4c2b-9e3f-1a2b3c4d5e6f',
    table: 'patients',
    op: 'INSERT',
    recordId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    baseVersion: 0,
    data: patient,
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

function codeOf(input: unknown): string {
  const result = validateEvent(input);
  return result.kind === 'valid' ? 'valid' : result.code;
}

describe('validateEvent', () => {
  it('accepts a whole-row INSERT and keeps only registry fields', () => {
    const result = validateEvent(raw());
    expect(result.kind).toBe('valid');
    if (result.kind === 'valid')
      expect(result.event).toMatchObject({ table: 'patients', op: 'INSERT', baseVersion: 0, data: patient });
  });

  it('accepts a partial UPDATE and a DELETE without data', () => {
    expect(codeOf(raw({ op: 'UPDATE', baseVersion: 2, data: { phone: '+254 700' } }))).toBe('valid');
    expect(codeOf(raw({ op: 'UPDATE', baseVersion: 2, data: { phone: null } }))).toBe('valid');
    expect(codeOf(raw({ op: 'DELETE', baseVersion: 2, data: undefined }))).toBe('valid');
  });

  it('reads a missing baseVersion as 0 and needs no createdAt: fine for an INSERT, refused for an UPDATE', () => {
    expect(codeOf(raw({ baseVersion: undefined, createdAt: undefined }))).toBe('valid');
    expect(codeOf(raw({ op: 'UPDATE', baseVersion: undefined, data: { phone: '1' } }))).toBe('invalid_event');
    expect(codeOf(raw({ op: 'DELETE', baseVersion: undefined, data: undefined }))).toBe('invalid_event');
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['a table outside the registry', { table: 'users' }, 'unknown_table'],
    ['an SQL-looking table name', { table: 'patients; drop table users' }, 'unknown_table'],
    ['a prototype key as table name', { table: '__proto__' }, 'unknown_table'],
    ['a field the table does not have', { data: { ...patient, ssn: '1' } }, 'unknown_field'],
    ['an SQL-looking field name', { data: { ...patient, 'name" --': 'x' } }, 'unknown_field'],
    [
      'a prototype key as field name',
      {
        data: JSON.parse(`{"__proto__": {"x": 1}, "given_name": "A", "family_name": "B", "organization_id": "${ORG}"}`),
      },
      'unknown_field',
    ],
    ...(['id', 'version', 'updated_at', 'updated_by', 'deleted', 'field_versions'] as const).map(
      (column): [string, Record<string, unknown>, string] => [
        `the system column ${column} in data`,
        { data: { ...patient, [column]: 1 } },
        'unknown_field',
      ],
    ),
    ['a wrong type', { data: { ...patient, given_name: 42 } }, 'invalid_event'],
    ['an over-long string', { data: { ...patient, notes: 'x'.repeat(10_001) } }, 'invalid_event'],
    ['a value outside the enum', { data: { ...patient, sex: 'f' } }, 'invalid_event'],
    ['a missing required field on INSERT', { data: { organization_id: ORG, given_name: 'A' } }, 'invalid_event'],
    [
      'clearing a required field on UPDATE',
      { op: 'UPDATE', baseVersion: 1, data: { given_name: null } },
      'invalid_event',
    ],
    ['an empty UPDATE', { op: 'UPDATE', baseVersion: 1, data: {} }, 'invalid_event'],
    ['an INSERT not based on version 0', { baseVersion: 3 }, 'invalid_event'],
    ['an UPDATE based on version 0', { op: 'UPDATE', baseVersion: 0, data: { phone: '1' } }, 'invalid_event'],
    ['a DELETE with data', { op: 'DELETE', baseVersion: 1 }, 'invalid_event'],
    ['an INSERT without data', { data: undefined }, 'invalid_event'],
    ['an unknown op', { op: 'UPSERT' }, 'invalid_event'],
    ['a record id that is not a uuid', { recordId: '1 or 1=1' }, 'invalid_event'],
    ['a negative baseVersion', { baseVersion: -1 }, 'invalid_event'],
    ['an extra envelope key', { organizationId: ORG }, 'invalid_event'],
    ['a table that is not a string', { table: 7 }, 'invalid_event'],
    ['data that is an array', { data: [1] }, 'invalid_event'],
  ];
  it.each(cases)('refuses %s', (_rule, overrides, code) => {
    expect(codeOf(raw(overrides))).toBe(code);
  });

  it('names the failing fields but never their values', () => {
    const secret = 'Confidential-Diagnosis-XYZ';
    const result = validateEvent(
      raw({ data: { ...patient, given_name: 42, notes: `${secret}${'x'.repeat(10_001)}` } }),
    );
    expect(result.kind).toBe('rejected');
    if (result.kind === 'rejected') {
      expect(result.message).toContain('given_name');
      expect(result.message).toContain('notes');
      expect(result.message).not.toContain(secret);
    }
  });

  it('refuses an event that is not an object', () => {
    expect(codeOf('INSERT')).toBe('invalid_event');
    expect(codeOf(null)).toBe('invalid_event');
  });
});
