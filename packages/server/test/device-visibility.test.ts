/**
 * Per-organization device visibility (PROTOCOL §6, 2026-12), as an admin of
 * one organization would probe a member's work for another: the figures are
 * the organization's own share of the outbox, a v1 report without the split
 * is shown only where it cannot be anyone else's work, a pending invitee's
 * devices are not listed, and a count beyond 2^31−1 is a 400, on SQLite and
 * PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import { addMember, createOrganization, invite, push, type CreatedOrganization } from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describeEachDialect('device figures per organization (black box)', (dialect) => {
  let server: ServerProcess;
  let adminA: SignedUpUser;
  let adminB: SignedUpUser;
  let person: SignedUpUser;
  let A: CreatedOrganization;
  let B: CreatedOrganization;

  beforeAll(async () => {
    server = await startServerProcess(dialect.name === 'postgres' ? { db: await dialect.databaseUrl() } : {});
    [adminA, adminB, person] = await Promise.all([signUp(server.url), signUp(server.url), signUp(server.url)]);
    A = await createOrganization(server.url, adminA, { name: 'Clinic A' });
    B = await createOrganization(server.url, adminB, { name: 'Clinic B' });
    await addMember(server.url, adminA, A.organizationId, person, 'clinician');
  }, 60_000);
  afterAll(() => server?.stop());

  const personDevice = async (admin: SignedUpUser, organizationId: string) => {
    const res = await call(server.url, 'GET', `/v1/orgs/${organizationId}/devices`, { token: admin.authToken });
    expect(res.status).toBe(200);
    return res.body.devices.find(
      (d: { deviceId: string; userId: string }) => d.userId === person.userId && d.deviceId === person.deviceId,
    );
  };

  it('lists no device of a pending invitee', async () => {
    await invite(server.url, adminB, B.organizationId, person.email, 'receptionist');
    await push(server.url, person, [], {
      outbox: { pending: 3, oldestPendingAt: '2026-01-01T00:00:00Z', openConflicts: 1, deadLetters: 0 },
    });
    expect(await personDevice(adminB, B.organizationId)).toBeUndefined();
  });

  it("shows each organization's admins their own share only", async () => {
    const invitations = await call(server.url, 'GET', '/v1/invitations', { token: person.authToken });
    const pending = invitations.body.invitations.find(
      (i: { organizationId: string }) => i.organizationId === B.organizationId,
    );
    expect(
      (await call(server.url, 'POST', `/v1/invitations/${pending.invitationId}/accept`, { token: person.authToken }))
        .status,
    ).toBe(200);

    const oldest = '2026-01-02T08:00:00.000Z';
    const res = await push(server.url, person, [], {
      outbox: {
        pending: 7,
        oldestPendingAt: oldest,
        openConflicts: 2,
        deadLetters: 1,
        organizations: [
          { organizationId: A.organizationId, pending: 7, oldestPendingAt: oldest, openConflicts: 2, deadLetters: 1 },
          // A foreign organization in the report is ignored, never stored for it.
          { organizationId: randomUUID(), pending: 99, oldestPendingAt: oldest, openConflicts: 9, deadLetters: 9 },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(await personDevice(adminA, A.organizationId)).toMatchObject({
      pending: 7,
      oldestPendingAt: oldest,
      openConflicts: 2,
      deadLetters: 1,
    });
    // B's admin learns nothing about the work for A: B's share is empty.
    const seenByB = await personDevice(adminB, B.organizationId);
    expect(seenByB).toMatchObject({
      pending: 0,
      oldestPendingAt: null,
      openConflicts: 0,
      deadLetters: 0,
      health: 'ok',
      staleness: null,
    });
    expect(JSON.stringify(seenByB)).not.toContain(oldest);
  });

  it('shows a v1 report (no split) nowhere while the person belongs to two organizations', async () => {
    await push(server.url, person, [], {
      outbox: { pending: 4, oldestPendingAt: '2026-01-03T00:00:00Z', openConflicts: 0, deadLetters: 0 },
    });
    for (const [admin, org] of [
      [adminA, A],
      [adminB, B],
    ] as const) {
      expect(await personDevice(admin, org.organizationId)).toMatchObject({
        pending: null,
        oldestPendingAt: null,
        openConflicts: null,
        deadLetters: null,
      });
    }
  });

  it('attributes a v1 report to the one organization of a person who belongs to one', async () => {
    const solo = await signUp(server.url);
    await addMember(server.url, adminA, A.organizationId, solo, 'receptionist');
    await push(server.url, solo, [], {
      outbox: { pending: 2, oldestPendingAt: '2026-01-04T00:00:00Z', openConflicts: 1 },
    });
    const res = await call(server.url, 'GET', `/v1/orgs/${A.organizationId}/devices`, { token: adminA.authToken });
    expect(res.body.devices.find((d: { userId: string }) => d.userId === solo.userId)).toMatchObject({
      pending: 2,
      oldestPendingAt: '2026-01-04T00:00:00Z',
      openConflicts: 1,
    });
  });

  it('refuses counts beyond 2^31−1 and oversized splits with 400, storing nothing', async () => {
    const tooBig = await push(server.url, person, [], {
      outbox: { pending: 1, organizations: [{ organizationId: A.organizationId, pending: 2 ** 31 }] },
    });
    expect(tooBig.status).toBe(400);
    const many = await push(server.url, person, [], {
      outbox: {
        pending: 1,
        organizations: Array.from({ length: 101 }, () => ({ organizationId: randomUUID(), pending: 1 })),
      },
    });
    expect(many.status).toBe(400);
    expect(await personDevice(adminA, A.organizationId)).toMatchObject({ pending: null });
  });
});
