import type { OrganizationId, OrgDevice } from '@clinicsync/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/support/dialects.ts';
import { testDeps, type TestDeps } from '../../test/support/test-deps.ts';
import { compareDevices, listOrgDevices } from './list-org-devices.ts';
import { seedDevice, seedMember, seedUser, uuid } from './seed-org.fixture.ts';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describeEachDialect('listOrgDevices', (dialect) => {
  let deps: TestDeps;
  const org = uuid() as OrganizationId;
  const otherOrg = uuid() as OrganizationId;
  let ana: string;
  let ben: string;
  let formerMember: string;
  let outsider: string;

  beforeAll(async () => {
    deps = await testDeps({ url: await dialect.databaseUrl() });
    ana = await seedUser(deps.db, 'Ana');
    ben = await seedUser(deps.db, 'Ben');
    formerMember = await seedUser(deps.db, 'Former');
    outsider = await seedUser(deps.db, 'Outsider');
    await seedMember(deps.db, { organizationId: org, userId: ana, role: 'admin' });
    await seedMember(deps.db, { organizationId: org, userId: ben, role: 'clinician' });
    // Two live membership rows for one person must not list their devices twice.
    await seedMember(deps.db, { organizationId: org, userId: ben, role: 'receptionist' });
    await seedMember(deps.db, { organizationId: org, userId: formerMember, role: 'clinician', deleted: true });
    await seedMember(deps.db, { organizationId: otherOrg, userId: outsider, role: 'admin' });
  });
  afterAll(() => deps.database.close());

  it("lists only current members' devices, with their outbox report and health", async () => {
    const anaLaptop = await seedDevice(deps.db, {
      userId: ana,
      reportFor: org,
      deviceName: 'Ana laptop',
      pending: 12,
      oldest_pending_at: ago(4 * DAY),
      open_conflicts: 2,
      dead_letters: 1,
      last_push_at: ago(60_000),
      last_pull_at: ago(120_000),
      schema_version: 1,
      app_version: '0.3.1',
    });
    const benDesk = await seedDevice(deps.db, {
      userId: ben,
      deviceName: 'Ben desk',
      last_push_at: ago(10 * DAY),
      revoked_at: ago(DAY),
    });
    await seedDevice(deps.db, { userId: formerMember, deviceName: 'Former phone' });
    await seedDevice(deps.db, { userId: outsider, deviceName: 'Outsider PC' });
    // Ben's report for another organization is never shown here.
    await deps.db
      .insertInto('device_outbox')
      .values({
        user_id: ben,
        device_id: benDesk,
        organization_id: otherOrg,
        pending: 40,
        oldest_pending_at: ago(DAY),
        open_conflicts: 3,
        dead_letters: 3,
        reported_at: ago(DAY),
      })
      .execute();

    const devices = await listOrgDevices(deps.db, org, NOW);

    expect(devices).toEqual([
      {
        deviceId: anaLaptop,
        deviceName: 'Ana laptop',
        userId: ana,
        userName: 'Ana',
        pending: 12,
        oldestPendingAt: ago(4 * DAY),
        openConflicts: 2,
        deadLetters: 1,
        lastPushAt: ago(60_000),
        lastPullAt: ago(120_000),
        schemaVersion: 1,
        appVersion: '0.3.1',
        syncTokenRevoked: false,
        health: 'stale',
        staleness: 'pending for 4 days',
      },
      {
        deviceId: benDesk,
        deviceName: 'Ben desk',
        userId: ben,
        userName: 'Ben',
        pending: null,
        oldestPendingAt: null,
        openConflicts: null,
        deadLetters: null,
        lastPushAt: ago(10 * DAY),
        lastPullAt: null,
        schemaVersion: null,
        appVersion: null,
        syncTokenRevoked: true,
        health: 'stale',
        staleness: 'not seen for 10 days',
      },
    ]);
  });

  it('lists nothing for an organization without members', async () => {
    expect(await listOrgDevices(deps.db, uuid() as OrganizationId, NOW)).toEqual([]);
  });
});

describe('compareDevices', () => {
  function device(name: string, overrides: Partial<OrgDevice>): OrgDevice {
    return {
      deviceId: uuid(),
      deviceName: name,
      userId: uuid(),
      userName: 'Same',
      pending: 0,
      oldestPendingAt: null,
      openConflicts: 0,
      deadLetters: 0,
      lastPushAt: ago(DAY),
      lastPullAt: null,
      schemaVersion: 1,
      appVersion: null,
      syncTokenRevoked: false,
      health: 'ok',
      staleness: null,
      ...overrides,
    };
  }

  it('puts the oldest pending edit first, then the longest silent device', () => {
    const devices = [
      device('recent, idle', { lastPushAt: ago(60_000) }),
      device('pending 1 day', { pending: 3, oldestPendingAt: ago(DAY) }),
      device('never synced', { lastPushAt: null }),
      device('pending 5 days', { pending: 1, oldestPendingAt: ago(5 * DAY) }),
      device('silent 9 days', { lastPushAt: ago(9 * DAY) }),
    ];
    expect(devices.sort(compareDevices).map((d) => d.deviceName)).toEqual([
      'pending 5 days',
      'pending 1 day',
      'never synced',
      'silent 9 days',
      'recent, idle',
    ]);
  });
});
