import fc from 'fast-check';
import { MAX_CURSOR_LENGTH, MAX_MEMBERSHIPS_PER_USER } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { createCursorCodec, type CursorPosition, type CursorState } from './cursor.ts';

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(8);
const ALICE = { userId: '11111111-1111-4111-8111-111111111111', deviceId: '22222222-2222-4222-8222-222222222222' };
const BOB = { userId: '33333333-3333-4333-8333-333333333333', deviceId: '44444444-4444-4444-8444-444444444444' };
const ORG_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const ORG_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const MEMBER_A = 'a0a0a0a0-a0a0-4a0a-8a0a-a0a0a0a0a0a0';
const MEMBER_B = 'b0b0b0b0-b0b0-4b0b-8b0b-b0b0b0b0b0b0';

const STATE: CursorState = {
  schemaVersion: 1,
  positions: [
    { organizationId: ORG_A, membershipId: MEMBER_A, seq: 42 },
    { organizationId: ORG_B, membershipId: MEMBER_B, seq: 0 },
  ],
};

describe('pull cursor', () => {
  const codec = createCursorCodec(KEY);

  it('reads back exactly what it wrote, for the device it was issued to', async () => {
    const cursor = await codec.encode(ALICE, STATE);
    expect(await codec.decode(ALICE, cursor)).toEqual({ kind: 'valid', state: STATE });
  });

  it('is opaque text that fits a query string', async () => {
    const cursor = await codec.encode(ALICE, STATE);
    expect(cursor).toMatch(/^c1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('stays within the documented maximum for the most organizations one person can belong to', async () => {
    // The longest cursor a server can issue: every membership, the longest ids and sequence numbers.
    const positions = Array.from({ length: MAX_MEMBERSHIPS_PER_USER }, (_, i) => ({
      organizationId: `${String(i).padStart(8, '0')}-ffff-4fff-8fff-ffffffffffff`,
      membershipId: 'ffffffff-ffff-4fff-8fff-ffffffffffff',
      seq: Number.MAX_SAFE_INTEGER,
    }));
    const cursor = await codec.encode(ALICE, { schemaVersion: 65_535, positions });
    expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    expect(cursor.length).toBeGreaterThan(MAX_CURSOR_LENGTH / 2);
  });

  it('refuses a cursor issued to another user as foreign', async () => {
    const cursor = await codec.encode(ALICE, STATE);
    expect(await codec.decode(BOB, cursor)).toEqual({ kind: 'invalid', reason: 'foreign' });
  });

  it("refuses a cursor issued to another of the user's devices as foreign", async () => {
    const cursor = await codec.encode(ALICE, STATE);
    expect(await codec.decode({ ...ALICE, deviceId: BOB.deviceId }, cursor)).toEqual({
      kind: 'invalid',
      reason: 'foreign',
    });
  });

  it('refuses a cursor signed with another key as foreign', async () => {
    const cursor = await createCursorCodec(OTHER_KEY).encode(ALICE, STATE);
    expect(await codec.decode(ALICE, cursor)).toEqual({ kind: 'invalid', reason: 'foreign' });
  });

  it('refuses a cursor whose payload was rewritten (position moved) even with the old signature', async () => {
    const cursor = await codec.encode(ALICE, STATE);
    const [prefix, , mac] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify({ s: 1, p: [[ORG_A, MEMBER_A, 0]] })).toString('base64url');
    expect(await codec.decode(ALICE, `${prefix}.${forged}.${mac}`)).toEqual({ kind: 'invalid', reason: 'foreign' });
  });

  it('refuses text that is not a cursor of a known format', async () => {
    for (const text of ['', 'abc', 'c2.e30.AAAA', 'c1.', 'c1..', '{"s":1}']) {
      const decoded = await codec.decode(ALICE, text);
      expect(decoded.kind, text).toBe('invalid');
    }
  });

  it('refuses every single-character change of a valid cursor', async () => {
    const cursor = await codec.encode(ALICE, STATE);
    const alphabet = 'ABCabc019-_.=+/';
    for (let i = 0; i < cursor.length; i++) {
      for (const replacement of alphabet) {
        if (replacement === cursor[i]) continue;
        const changed = cursor.slice(0, i) + replacement + cursor.slice(i + 1);
        expect((await codec.decode(ALICE, changed)).kind, `position ${i} → ${replacement}`).toBe('invalid');
      }
    }
  });

  it('refuses to encode positions that are not sorted by organization', async () => {
    await expect(codec.encode(ALICE, { schemaVersion: 1, positions: [...STATE.positions].reverse() })).rejects.toThrow(
      /sorted/,
    );
  });

  it('round-trips any sorted set of positions (property)', async () => {
    const position = fc.record({
      organizationId: fc.uuid(),
      membershipId: fc.uuid(),
      seq: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(position, { selector: (p) => p.organizationId, maxLength: 20 }),
        fc.integer({ min: 1, max: 9 }),
        async (raw, schemaVersion) => {
          const positions: CursorPosition[] = [...raw].sort((a, b) => (a.organizationId < b.organizationId ? -1 : 1));
          const cursor = await codec.encode(ALICE, { schemaVersion, positions });
          expect(await codec.decode(ALICE, cursor)).toEqual({ kind: 'valid', state: { schemaVersion, positions } });
        },
      ),
      { numRuns: 200 },
    );
  });
});
