import { pullResponseSchema } from '@clinicsync/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pullPageSchema } from './pull-page-schema.ts';

const RECORD = '10000000-0000-4000-8000-000000000001';
const ORG = '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e';

function answer(data: unknown, extra: Record<string, unknown> = {}): unknown {
  return {
    changes: [{ table: 'patients', recordId: RECORD, op: 'UPSERT', version: 1, organizationId: ORG, data, ...extra }],
    cursor: 'c1',
    hasMore: false,
    revokedOrganizations: [],
  };
}

describe('pullPageSchema', () => {
  it('hands the parsed data on as it is, without copying it', () => {
    const body = answer({ given_name: 'Amina', notes: null }) as { changes: { data: unknown }[] };
    const parsed = pullPageSchema.parse(body);
    expect(parsed.changes[0]!.data).toBe(body.changes[0]!.data);
  });

  it('accepts and refuses exactly the answers the protocol schema does', () => {
    // Any JSON in place of the change's data or of one of its fields, as it comes out of JSON.parse.
    const json = fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown);
    const field = fc.constantFrom('data', 'recordId', 'op', 'version', 'organizationId', 'table');
    fc.assert(
      fc.property(json, field, (value, name) => {
        const body = name === 'data' ? answer(value) : answer({ given_name: 'Amina' }, { [name]: value });
        expect(pullPageSchema.safeParse(body).success).toBe(pullResponseSchema.safeParse(body).success);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses data that is not an object', () => {
    for (const data of [[], 'x', 1, true, [{ given_name: 'Amina' }]])
      expect(pullPageSchema.safeParse(answer(data)).success).toBe(false);
    expect(pullPageSchema.safeParse(answer(null)).success).toBe(true);
    expect(pullPageSchema.safeParse(answer(undefined)).success).toBe(false);
  });
});
