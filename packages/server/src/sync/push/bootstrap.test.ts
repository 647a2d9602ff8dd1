import { randomUUID } from 'node:crypto';
import { TABLES, type EventId } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { bootstrapOrder, scanBootstrap } from './bootstrap.ts';
import type { ScopedEvent, StoredRow } from './event-types.ts';

const actor = { userId: randomUUID(), deviceId: randomUUID() };
const raw = (table: string, op: string, recordId: string, data?: Record<string, unknown>) => ({
  eventId: randomUUID(),
  table,
  op,
  recordId,
  baseVersion: op === 'INSERT' ? 0 : 1,
  ...(data && { data }),
  createdAt: '2026-01-01T00:00:00Z',
});
const orgInsert = (org: string) => raw('organizations', 'INSERT', org, { name: 'Clinic' });
const adminInsert = (org: string, userId = actor.userId, role = 'admin') =>
  raw('members', 'INSERT', randomUUID(), { organization_id: org, user_id: userId, role });
const scoped = (table: 'organizations' | 'teams', op: ScopedEvent['op'], organizationId: string): ScopedEvent => ({
  eventId: randomUUID() as EventId,
  table,
  spec: TABLES[table],
  op,
  recordId: table === 'organizations' ? organizationId : randomUUID(),
  baseVersion: 0,
  data: {},
  organizationId,
});
const stored = { id: 'x' } as unknown as StoredRow;

describe('scanBootstrap', () => {
  it('lets a new organization be created when the same batch makes the actor its admin', () => {
    const org = randomUUID();
    const bootstrap = scanBootstrap([orgInsert(org), adminInsert(org)], actor);
    expect(bootstrap.skipsMembership(scoped('organizations', 'INSERT', org), undefined)).toBe(true);
    // Its other rows only once this request has really inserted the organization.
    expect(bootstrap.skipsMembership(scoped('teams', 'INSERT', org), undefined)).toBe(false);
    bootstrap.markCreated(org);
    expect(bootstrap.skipsMembership(scoped('teams', 'INSERT', org), undefined)).toBe(true);
  });

  it.each([
    ['without the organization INSERT', (org: string) => [adminInsert(org)]],
    ['without an admin membership for the actor', (org: string) => [orgInsert(org)]],
    ['when the membership is for someone else', (org: string) => [orgInsert(org), adminInsert(org, randomUUID())]],
    [
      'when the membership is not admin',
      (org: string) => [orgInsert(org), adminInsert(org, actor.userId, 'clinician')],
    ],
    ['when the membership names another organization', (org: string) => [orgInsert(org), adminInsert(randomUUID())]],
  ])('grants nothing %s', (_case, batch) => {
    const org = randomUUID();
    const bootstrap = scanBootstrap(batch(org), actor);
    expect(bootstrap.skipsMembership(scoped('organizations', 'INSERT', org), undefined)).toBe(false);
    bootstrap.markCreated(org);
    expect(bootstrap.skipsMembership(scoped('teams', 'INSERT', org), undefined)).toBe(false);
  });

  it('lets the organization of an invalid admin row be created only to name it incomplete, so none of it stays', () => {
    const org = randomUUID();
    const invalidAdmin = raw('members', 'INSERT', randomUUID(), {
      organization_id: org,
      user_id: actor.userId,
      role: 'admin',
      extra: 1,
    });
    const bootstrap = scanBootstrap([orgInsert(org), invalidAdmin], actor);
    expect(bootstrap.skipsMembership(scoped('organizations', 'INSERT', org), undefined)).toBe(true);
    bootstrap.markCreated(org);
    // The admin row is refused by validation, never applied: the organization is incomplete and the push runs again.
    expect(bootstrap.incomplete()).toEqual([org]);
  });

  it('grants nothing for an organization that is already stored', () => {
    const org = randomUUID();
    const bootstrap = scanBootstrap([orgInsert(org), adminInsert(org)], actor);
    expect(bootstrap.skipsMembership(scoped('organizations', 'INSERT', org), stored)).toBe(false);
    expect(bootstrap.skipsMembership(scoped('organizations', 'UPDATE', org), stored)).toBe(false);
  });
});

describe('bootstrapOrder', () => {
  it("takes the creator's admin row right after its organization's INSERT, wherever it stands", () => {
    const org = randomUUID();
    const team = raw('teams', 'INSERT', randomUUID(), { organization_id: org, name: 'Ward' });
    expect(bootstrapOrder([adminInsert(org), team, orgInsert(org)], actor)).toEqual([1, 2, 0]);
    // Sent after its organization: already in place.
    expect(bootstrapOrder([orgInsert(org), team, adminInsert(org)], actor)).toEqual([0, 1, 2]);
  });

  it('takes an admin row that names a team of the batch after that team too', () => {
    const org = randomUUID();
    const teamId = randomUUID();
    const team = raw('teams', 'INSERT', teamId, { organization_id: org, name: 'Ward' });
    const admin = raw('members', 'INSERT', randomUUID(), {
      organization_id: org,
      user_id: actor.userId,
      role: 'admin',
      team_id: teamId.toUpperCase(),
    });
    expect(bootstrapOrder([admin, orgInsert(org), team], actor)).toEqual([1, 2, 0]);
    expect(bootstrapOrder([orgInsert(org), admin, team], actor)).toEqual([0, 2, 1]);
    expect(bootstrapOrder([orgInsert(org), team, admin], actor)).toEqual([0, 1, 2]);
  });

  it('leaves every other batch in request order', () => {
    const org = randomUUID();
    const batches = [
      // Someone else's admin row, a clinician row, an admin row of an organization the batch does not INSERT.
      [adminInsert(org, randomUUID()), orgInsert(org)],
      [adminInsert(org, actor.userId, 'clinician'), orgInsert(org)],
      [adminInsert(randomUUID()), orgInsert(org)],
      // An invalid organization INSERT is not taken as one.
      [adminInsert(org), raw('organizations', 'INSERT', org, { name: 'Clinic', bogus: 1 })],
      [undefined, 'nonsense', null],
    ];
    for (const batch of batches) expect(bootstrapOrder(batch, actor)).toEqual([0, 1, 2].slice(0, batch.length));
  });

  it('compares ids without regard to case', () => {
    const org = randomUUID();
    const admin = adminInsert(org.toUpperCase(), actor.userId.toUpperCase() as typeof actor.userId);
    expect(bootstrapOrder([admin, orgInsert(org)], actor)).toEqual([1, 0]);
    const bootstrap = scanBootstrap([orgInsert(org), admin], actor);
    expect(bootstrap.skipsMembership(scoped('organizations', 'INSERT', org), undefined)).toBe(true);
  });

  it('names an organization whose own INSERT is invalid incomplete, so the rest of it is refused', () => {
    const org = randomUUID();
    const bootstrap = scanBootstrap(
      [raw('organizations', 'INSERT', org, { name: 'x'.repeat(201) }), adminInsert(org)],
      actor,
    );
    expect(bootstrap.neverCreated()).toEqual([org]);
    expect(bootstrap.incomplete()).toEqual([]);
  });
});
