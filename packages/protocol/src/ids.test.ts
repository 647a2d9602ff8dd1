import { describe, expect, it } from 'vitest';
import { TABLES } from './registry/index.ts';
import { rowDataSchema } from './registry/row-schema.ts';
import { canonicalId, recordIdSchema, uuidSchema } from './ids.ts';

const UPPER = '7D4F5C1E-2F7B-4A55-9A0E-5A1F1B2C3D4E';

describe('uuidSchema', () => {
  it('folds a UUID to lowercase so an uppercase twin names the same row', () => {
    expect(uuidSchema.parse(UPPER)).toBe(UPPER.toLowerCase());
    expect(recordIdSchema.parse(UPPER)).toBe(UPPER.toLowerCase());
  });

  it('folds references inside row data too', () => {
    const row = rowDataSchema(TABLES.teams, 'insert').parse({ organization_id: UPPER, name: 'Outpatients' });
    expect(row.organization_id).toBe(UPPER.toLowerCase());
  });

  it('refuses what is not a UUID', () => {
    expect(uuidSchema.safeParse('not-a-uuid').success).toBe(false);
    expect(uuidSchema.safeParse(`${UPPER}x`).success).toBe(false);
  });
});

describe('canonicalId', () => {
  it('folds a UUID and leaves any other text as it is', () => {
    expect(canonicalId(UPPER)).toBe(UPPER.toLowerCase());
    expect(canonicalId(UPPER.toLowerCase())).toBe(UPPER.toLowerCase());
    expect(canonicalId(`{${UPPER}}`)).toBe(`{${UPPER}}`);
    expect(canonicalId('ABC-Patient')).toBe('ABC-Patient');
  });
});
