import { ApiError, type OrganizationId } from '@clinicsync/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.ts';

const ORG = '6f1c2b9e-3a57-4c1e-9d2a-0b8e5f4a7c11' as OrganizationId;
const OTHER_ORG = '0d9a7e21-5b34-4f6c-8e1d-2c3b4a596877' as OrganizationId;

function expectInvalid(cursor: string, org: OrganizationId = ORG) {
  try {
    decodeAuditCursor(cursor, org);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_request');
    expect((error as ApiError).details).toEqual({ issues: [{ path: 'cursor', code: 'invalid_cursor' }] });
    return;
  }
  throw new Error(`cursor ${JSON.stringify(cursor)} was accepted`);
}

describe('audit cursor', () => {
  it('decodes every position it encodes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (seq) => {
        const cursor = encodeAuditCursor(ORG, seq);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeAuditCursor(cursor, ORG)).toBe(seq);
      }),
    );
  });

  it("refuses another organization's cursor", () => {
    expectInvalid(encodeAuditCursor(OTHER_ORG, 5));
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$%'],
    ['base64 of garbage', btoa('not json')],
    ['a bare number', '42'],
    ['negative position', btoa(JSON.stringify({ v: 1, o: ORG, s: -1 })).replace(/=+$/, '')],
    ['fractional position', btoa(JSON.stringify({ v: 1, o: ORG, s: 1.5 })).replace(/=+$/, '')],
    ['unknown version', btoa(JSON.stringify({ v: 2, o: ORG, s: 1 })).replace(/=+$/, '')],
    ['extra keys', btoa(JSON.stringify({ v: 1, o: ORG, s: 1, x: 1 })).replace(/=+$/, '')],
  ])('refuses a malformed cursor (%s)', (_name, cursor) => {
    expectInvalid(cursor);
  });
});
