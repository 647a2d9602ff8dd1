import type { DeviceId, OrganizationId, UserId } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/support/dialects.ts';
import { testDeps, type TestDeps } from '../../test/support/test-deps.ts';
import { revokeOrgDevice } from './revoke-org-device.ts';
import { seedDevice, seedMember, seedOrganization, seedUser, uuid } from './seed-org.fixture.ts';

const NOW = new Date('2026-03-10T12:00:00.000Z');

describeEachDialect('revokeOrgDevice', (dialect) => {
  let deps: TestDeps;
  const org = uuid() as OrganizationId;
  const otherOrg = uuid() as OrganizationId;
  let nurse: string;
  let doctor: string;
  let outsider: string;
  let leaver: string;
  let admin: UserId;

  beforeAll(async () => {
    deps = await testDeps({ url: await dialect.databaseUrl() });
    nurse = await seedUser(deps.db, 'Nurse');
    doctor = await seedUser(deps.db, 'Doctor');
    outsider = await seedUser(deps.db, 'Outsider');
    leaver = await seedUser(deps.db, 'Leaver');
    admin = (await seedUser(deps.db, 'Admin')) as UserId;
    await seedMember(deps.db, { organizationId: org, userId: admin, role: 'admin' });
    await seedMember(deps.db, { organizationId: org, userId: nurse, role: 'clinician' });
    await seedMember(deps.db, { organizationId: org, userId: doctor, role: 'clinician' });
    await seedMember(deps.db, { organizationId: org, userId: leaver, role: 'clinician', deleted: true });
    await seedMember(deps.db, { organizationId: otherOrg, userId: outsider, role: 'clinician' });
  });
  afterAll(() => deps.database.close());

  async function revokedAt(userId: string, deviceId: string) {
    const row = await deps.db
      .selectFrom('devices')
      .select('revoked_at')
      .where('user_id', '=', userId)
      .where('device_id', '=', deviceId)
      .executeTakeFirstOrThrow();
    return row.revoked_at;
  }

  it("revokes every current member's token on a shared computer, and no one else's", async () => {
    const shared = await seedDevice(deps.db, { userId: nurse });
    await seedDevice(deps.db, { userId: doctor, deviceId: shared });
    await seedDevice(deps.db, { userId: outsider, deviceId: shared });
    await seedDevice(deps.db, { userId: leaver, deviceId: shared });

    const outcome = await revokeOrgDevice(deps.db, {
      organizationId: org,
      deviceId: shared as DeviceId,
      callerId: admin,
      now: NOW,
    });

    expect(outcome.kind).toBe('revoked');
    expect(await revokedAt(nurse, shared)).toBe(NOW.toISOString());
    expect(await revokedAt(doctor, shared)).toBe(NOW.toISOString());
    expect(await revokedAt(outsider, shared)).toBeNull();
    expect(await revokedAt(leaver, shared)).toBeNull();
  });

  it('narrows to one person when a userId is given', async () => {
    const shared = await seedDevice(deps.db, { userId: nurse });
    await seedDevice(deps.db, { userId: doctor, deviceId: shared });

    await revokeOrgDevice(deps.db, {
      organizationId: org,
      deviceId: shared as DeviceId,
      userId: doctor as UserId,
      callerId: admin,
      now: NOW,
    });

    expect(await revokedAt(doctor, shared)).toBe(NOW.toISOString());
    expect(await revokedAt(nurse, shared)).toBeNull();
  });

  it('keeps the first revocation time when revoked again', async () => {
    const laptop = await seedDevice(deps.db, { userId: nurse, revoked_at: '2026-02-01T00:00:00.000Z' });
    const outcome = await revokeOrgDevice(deps.db, {
      organizationId: org,
      deviceId: laptop as DeviceId,
      callerId: admin,
      now: NOW,
    });
    expect(outcome).toEqual({ kind: 'revoked', userIds: [] });
    expect(await revokedAt(nurse, laptop)).toBe('2026-02-01T00:00:00.000Z');
  });

  it('answers not_found for a device no current member has', async () => {
    const outsiderPc = await seedDevice(deps.db, { userId: outsider });
    const leaverPc = await seedDevice(deps.db, { userId: leaver });
    const nursePc = await seedDevice(deps.db, { userId: nurse });
    expect(
      await revokeOrgDevice(deps.db, {
        organizationId: org,
        deviceId: outsiderPc as DeviceId,
        callerId: admin,
        now: NOW,
      }),
    ).toEqual({ kind: 'not_found' });
    expect(
      await revokeOrgDevice(deps.db, {
        organizationId: org,
        deviceId: leaverPc as DeviceId,
        callerId: admin,
        now: NOW,
      }),
    ).toEqual({ kind: 'not_found' });
    expect(
      await revokeOrgDevice(deps.db, { organizationId: org, deviceId: uuid() as DeviceId, callerId: admin, now: NOW }),
    ).toEqual({ kind: 'not_found' });
    // A member's device named together with someone else's user id is not theirs either.
    expect(
      await revokeOrgDevice(deps.db, {
        organizationId: org,
        deviceId: nursePc as DeviceId,
        userId: doctor as UserId,
        callerId: admin,
        now: NOW,
      }),
    ).toEqual({
      kind: 'not_found',
    });
    expect(await revokedAt(outsider, outsiderPc)).toBeNull();
    expect(await revokedAt(leaver, leaverPc)).toBeNull();
    expect(await revokedAt(nurse, nursePc)).toBeNull();
  });

  it('revokes the device of a person who also belongs to another organization: a lost computer is cut off', async () => {
    const elsewhere = await seedOrganization(deps.db, { name: 'Another clinic' });
    const moonlighter = await seedUser(deps.db, 'Moonlighter');
    await seedMember(deps.db, { organizationId: org, userId: moonlighter, role: 'clinician' });
    await seedMember(deps.db, { organizationId: elsewhere, userId: moonlighter, role: 'clinician' });
    const pc = await seedDevice(deps.db, { userId: moonlighter });

    expect(
      await revokeOrgDevice(deps.db, { organizationId: org, callerId: admin, deviceId: pc as DeviceId, now: NOW }),
    ).toEqual({ kind: 'revoked', userIds: [moonlighter] });
    expect(await revokedAt(moonlighter, pc)).toBe(NOW.toISOString());
  });
});
