import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CursorPosition } from './cursor.ts';
import { advancePositions, resolvePositions, type Membership } from './merge-positions.ts';

const A = 'aaaaaaaa-0000-4000-8000-000000000000';
const B = 'bbbbbbbb-0000-4000-8000-000000000000';
const C = 'cccccccc-0000-4000-8000-000000000000';

describe('resolvePositions', () => {
  it('continues an organization from the cursor when the membership is unchanged', () => {
    const result = resolvePositions(
      [{ organizationId: A, membershipId: 'm-a', seq: 9 }],
      [{ organizationId: A, membershipId: 'm-a' }],
    );
    expect(result).toEqual({ positions: [{ organizationId: A, membershipId: 'm-a', seq: 9 }], revoked: [] });
  });

  it('starts a newly joined organization at 0 (full history)', () => {
    const result = resolvePositions([], [{ organizationId: B, membershipId: 'm-b' }]);
    expect(result.positions).toEqual([{ organizationId: B, membershipId: 'm-b', seq: 0 }]);
  });

  it('reports an organization the user left as revoked and drops its position', () => {
    const result = resolvePositions(
      [
        { organizationId: A, membershipId: 'm-a', seq: 9 },
        { organizationId: B, membershipId: 'm-b', seq: 3 },
      ],
      [{ organizationId: B, membershipId: 'm-b' }],
    );
    expect(result).toEqual({ positions: [{ organizationId: B, membershipId: 'm-b', seq: 3 }], revoked: [A] });
  });

  it('restarts at 0 when the user was removed and added again (a new membership row)', () => {
    const result = resolvePositions(
      [{ organizationId: A, membershipId: 'm-old', seq: 9 }],
      [{ organizationId: A, membershipId: 'm-new' }],
    );
    expect(result).toEqual({ positions: [{ organizationId: A, membershipId: 'm-new', seq: 0 }], revoked: [] });
  });

  it('orders positions by organization id whatever the input order', () => {
    const result = resolvePositions(
      [],
      [
        { organizationId: C, membershipId: 'm-c' },
        { organizationId: A, membershipId: 'm-a' },
        { organizationId: B, membershipId: 'm-b' },
      ],
    );
    expect(result.positions.map((p) => p.organizationId)).toEqual([A, B, C]);
  });
});

describe('advancePositions', () => {
  const positions: CursorPosition[] = [
    { organizationId: A, membershipId: 'm-a', seq: 5 },
    { organizationId: B, membershipId: 'm-b', seq: 0 },
  ];

  it('moves each organization to the last seq sent and keeps the others', () => {
    expect(
      advancePositions(positions, [
        { organizationId: A, seq: 6 },
        { organizationId: A, seq: 8 },
      ]),
    ).toEqual([
      { organizationId: A, membershipId: 'm-a', seq: 8 },
      { organizationId: B, membershipId: 'm-b', seq: 0 },
    ]);
  });

  it('never moves a position back', () => {
    expect(advancePositions(positions, [{ organizationId: A, seq: 2 }])[0]!.seq).toBe(5);
  });
});

// Properties of the cursor algebra: what a pull does to the positions.
const orgId = fc.constantFrom(A, B, C, 'dddddddd-0000-4000-8000-000000000000');
const membershipsArb = fc.uniqueArray(fc.record({ organizationId: orgId, membershipId: fc.constantFrom('m1', 'm2') }), {
  selector: (m) => m.organizationId,
});
const cursorArb = fc
  .uniqueArray(fc.record({ organizationId: orgId, membershipId: fc.constantFrom('m1', 'm2'), seq: fc.nat(1000) }), {
    selector: (p) => p.organizationId,
  })
  .map((ps) => ps.sort((x, y) => (x.organizationId < y.organizationId ? -1 : 1)));
const sentArb = fc.array(fc.record({ organizationId: orgId, seq: fc.nat(2000) }), { maxLength: 30 });

describe('cursor positions (properties)', () => {
  it('keep exactly the member organizations, sorted, and revoke exactly the cursor organizations left', () => {
    fc.assert(
      fc.property(cursorArb, membershipsArb, (cursor, memberships: Membership[]) => {
        const { positions, revoked } = resolvePositions(cursor, memberships);
        const memberOrgs = memberships.map((m) => m.organizationId).sort();
        expect(positions.map((p) => p.organizationId)).toEqual(memberOrgs);
        expect(revoked).toEqual(
          cursor
            .map((p) => p.organizationId)
            .filter((o) => !memberOrgs.includes(o))
            .sort(),
        );
        for (const p of positions) {
          const before = cursor.find((c) => c.organizationId === p.organizationId);
          // A position survives only under the same membership; otherwise the organization starts over.
          expect(p.seq).toBe(before && before.membershipId === p.membershipId ? before.seq : 0);
        }
      }),
    );
  });

  it('advance to the maximum sent per organization, whatever the order or split of the sent rows', () => {
    fc.assert(
      fc.property(cursorArb, sentArb, fc.nat(30), (positions, sent, split) => {
        const all = advancePositions(positions, sent);
        const inTwoPages = advancePositions(advancePositions(positions, sent.slice(0, split)), sent.slice(split));
        const reversed = advancePositions(positions, [...sent].reverse());
        expect(inTwoPages).toEqual(all);
        expect(reversed).toEqual(all);
        all.forEach((p, i) => {
          const sentHere = sent.filter((s) => s.organizationId === p.organizationId).map((s) => s.seq);
          expect(p.seq).toBe(Math.max(positions[i]!.seq, ...sentHere));
          expect(p.organizationId).toBe(positions[i]!.organizationId);
        });
      }),
    );
  });

  it('are idempotent: re-applying a page changes nothing', () => {
    fc.assert(
      fc.property(cursorArb, sentArb, (positions, sent) => {
        const once = advancePositions(positions, sent);
        expect(advancePositions(once, sent)).toEqual(once);
      }),
    );
  });
});
