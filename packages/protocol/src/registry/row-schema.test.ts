import { describe, expect, it } from 'vitest';
import { TABLES } from './index.ts';
import { rowDataSchema } from './row-schema.ts';

const patient = {
  organization_id: '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e',
  given_name: 'Amina',
  family_name: 'Okafor',
  birth_date: '1990-02-28',
  sex: 'female',
};

describe('rowDataSchema', () => {
  const insert = rowDataSchema(TABLES.patients, 'insert');
  const update = rowDataSchema(TABLES.patients, 'update');

  it('accepts a whole patient row on INSERT', () => {
    expect(insert.safeParse(patient).success).toBe(true);
  });

  it.each([
    ['a missing required column', { ...patient, given_name: undefined }, 'given_name'],
    ['a blank required name', { ...patient, family_name: '   ' }, 'family_name'],
    ['an unknown column', { ...patient, ssn: '123' }, ''],
    ['an over-long note', { ...patient, notes: 'x'.repeat(10_001) }, 'notes'],
    ['a value outside the enum', { ...patient, sex: 'f' }, 'sex'],
    ['an impossible date', { ...patient, birth_date: '1990-02-30' }, 'birth_date'],
    ['a wrong type', { ...patient, given_name: 42 }, 'given_name'],
  ])('refuses %s', (_rule, data, path) => {
    const result = insert.safeParse(data);
    expect(result.success).toBe(false);
    if (path) expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('accepts a partial UPDATE and null to clear an optional field', () => {
    expect(update.safeParse({ phone: null }).success).toBe(true);
    expect(update.safeParse({ phone: '+254 700 000000' }).success).toBe(true);
  });

  it('refuses an empty UPDATE and null for a required field', () => {
    expect(update.safeParse({}).success).toBe(false);
    expect(update.safeParse({ given_name: null }).success).toBe(false);
  });

  it('refuses the system columns the server owns', () => {
    for (const column of ['id', 'version', 'updated_at', 'updated_by', 'deleted']) {
      expect(update.safeParse({ [column]: 1 }).success, column).toBe(false);
    }
  });
});
