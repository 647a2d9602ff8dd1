/**
 * Invitations as a client written from PROTOCOL §1b meets them, against the
 * real server process on SQLite and PostgreSQL (and the edge runtime with
 * CLINICSYNC_TEST_RUNTIME=edge): every route's field names, the same 202
 * whether or not an account has the email, the 200-pending cap, the 14-day
 * expiry, an invitation waiting for a person who registers later, the
 * members row written by an accept, and answers that stay one decision when
 * the invitee, a second tab and an admin act on one invitation at once.
 */
import { randomUUID } from 'node:crypto';
import { MAX_PENDING_INVITATIONS_PER_ORG } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIn, signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import {
  addMember,
  createOrganization,
  deleteEvent,
  invite,
  pushResults,
  updateEvent,
  type CreatedOrganization,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

describeEachDialect('invitations (black box)', (dialect) => {
  let server: ServerProcess;
  let base: string;
  let admin: SignedUpUser;
  let org: CreatedOrganization;

  beforeAll(async () => {
    server = await startServerProcess(dialect.name === 'postgres' ? { db: await dialect.databaseUrl() } : {});
    base = server.url;
    admin = await signUp(base, { name: 'Ada Admin' });
    org = await createOrganization(base, admin, { name: 'Riverside Clinic' });
  }, 60_000);
  afterAll(() => server?.stop());

  const orgInvitations = async (organizationId = org.organizationId, who = admin) => {
    const res = await call(base, 'GET', `/v1/orgs/${organizationId}/invitations`, { token: who.authToken });
    expect(res.status).toBe(200);
    return res.body.invitations as Record<string, unknown>[];
  };
  const myInvitations = async (who: { authToken: string }) => {
    const res = await call(base, 'GET', '/v1/invitations', { token: who.authToken });
    expect(res.status).toBe(200);
    return res.body.invitations as Record<string, unknown>[];
  };
  const accept = (who: { authToken: string }, invitationId: string) =>
    call(base, 'POST', `/v1/invitations/${invitationId}/accept`, { token: who.authToken });
  const withdraw = (invitationId: string, organizationId = org.organizationId) =>
    call(base, 'DELETE', `/v1/orgs/${organizationId}/invitations/${invitationId}`, { token: admin.authToken });
  const membersRowsOf = async (organizationId: string, userId: string) => {
    const res = await call(base, 'GET', `/v1/orgs/${organizationId}/audit?table=members&userId=${userId}`, {
      token: admin.authToken,
    });
    expect(res.status).toBe(200);
    return res.body.entries as { op: string; recordId: string; userId: string; after: Record<string, unknown> }[];
  };

  it('answers an invitation with 202 {invitationId} and the same headers whether or not an account has the email', async () => {
    const person = await signUp(base);
    const invite = (email: string) =>
      call(base, 'POST', `/v1/orgs/${org.organizationId}/invitations`, {
        token: admin.authToken,
        body: { email, role: 'receptionist' },
      });
    const known = await invite(person.email);
    const unknown = await invite(`nobody-${randomUUID()}@example.test`);
    for (const res of [known, unknown]) {
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ invitationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    }
    const headers = (res: typeof known) =>
      [...res.headers].filter(([name]) => !['date', 'x-request-id', 'content-length'].includes(name));
    expect(headers(unknown)).toEqual(headers(known));
  });

  it("lists the organization's pending invitations with their fields, expiring 14 days after they were sent", async () => {
    const email = `list-${randomUUID()}@example.test`;
    const invitationId = await invite(base, admin, org.organizationId, email.toUpperCase(), 'clinician', org.teamId);
    const listed = (await orgInvitations()).find((i) => i.invitationId === invitationId);
    expect(listed).toEqual({
      invitationId,
      email,
      role: 'clinician',
      teamId: org.teamId,
      invitedBy: admin.userId,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    const createdAt = Date.parse(String(listed!.createdAt));
    expect(Math.abs(createdAt - Date.now())).toBeLessThan(60_000);
    expect(Date.parse(String(listed!.expiresAt)) - createdAt).toBe(14 * DAY_MS);
    // Without a team, teamId is null.
    const noTeam = await invite(base, admin, org.organizationId, `t-${randomUUID()}@example.test`, 'admin');
    expect((await orgInvitations()).find((i) => i.invitationId === noTeam)).toMatchObject({ teamId: null });
  });

  it('shows the invitee what waits for their email, with the organization and the inviter by name', async () => {
    const person = await signUp(base);
    const invitationId = await invite(base, admin, org.organizationId, person.email, 'clinician');
    expect(await myInvitations(person)).toEqual([
      {
        invitationId,
        organizationId: org.organizationId,
        organizationName: 'Riverside Clinic',
        role: 'clinician',
        invitedByName: 'Ada Admin',
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
      },
    ]);
    // Nobody else sees it, and nobody else can answer it.
    const stranger = await signUp(base);
    expect(await myInvitations(stranger)).toEqual([]);
    for (const who of [stranger, admin]) {
      for (const action of ['accept', 'decline']) {
        const res = await call(base, 'POST', `/v1/invitations/${invitationId}/${action}`, { token: who.authToken });
        expect([action, res.status, res.body.error.code]).toEqual([action, 404, 'not_found']);
      }
    }
    expect(await myInvitations(person)).toHaveLength(1);
  });

  it('keeps an invitation waiting for a person who registers later, whatever the case of the email', async () => {
    const email = `later-${randomUUID()}@example.test`;
    const invitationId = await invite(base, admin, org.organizationId, email, 'receptionist');
    const person = await signUp(base, { email: email.toUpperCase() });
    expect((await myInvitations(person)).map((i) => i.invitationId)).toEqual([invitationId]);
    const accepted = await accept(person, invitationId);
    expect([accepted.status, accepted.body]).toEqual([
      200,
      { organizationId: org.organizationId, role: 'receptionist' },
    ]);
  });

  it("writes the members row on accept: in the organization's change log, audited as the invitee", async () => {
    const person = await signUp(base, { name: 'Bea Clinician' });
    const invitationId = await invite(base, admin, org.organizationId, person.email, 'clinician', org.teamId);
    const accepted = await accept(person, invitationId);
    expect([accepted.status, accepted.body]).toEqual([200, { organizationId: org.organizationId, role: 'clinician' }]);

    const [entry, ...more] = await membersRowsOf(org.organizationId, person.userId);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      op: 'INSERT',
      userId: person.userId,
      deviceId: person.deviceId,
      version: 1,
      before: null,
      after: { organization_id: org.organizationId, user_id: person.userId, role: 'clinician', team_id: org.teamId },
    });
    // Every device of the organization pulls it like any other change.
    const pulled = await call(base, 'GET', `/v1/sync/pull?deviceId=${admin.deviceId}&schemaVersion=1&limit=5000`, {
      token: admin.syncToken,
    });
    expect(pulled.body.changes).toContainEqual(
      expect.objectContaining({
        table: 'members',
        recordId: entry!.recordId,
        op: 'UPSERT',
        organizationId: org.organizationId,
        data: expect.objectContaining({ user_id: person.userId, role: 'clinician' }),
      }),
    );
    const me = await call(base, 'GET', '/v1/me', { token: person.authToken });
    expect(me.body.organizations).toEqual([{ id: org.organizationId, name: 'Riverside Clinic', role: 'clinician' }]);
    // Used up: no longer pending anywhere.
    expect(await myInvitations(person)).toEqual([]);
    expect((await orgInvitations()).map((i) => i.invitationId)).not.toContain(invitationId);
  });

  it('declines with 204 and withdraws with 204; either ends the invitation everywhere', async () => {
    const person = await signUp(base);
    const declinedId = await invite(base, admin, org.organizationId, person.email, 'clinician');
    const declined = await call(base, 'POST', `/v1/invitations/${declinedId}/decline`, { token: person.authToken });
    expect([declined.status, declined.body]).toEqual([204, undefined]);
    expect(await myInvitations(person)).toEqual([]);
    expect((await orgInvitations()).map((i) => i.invitationId)).not.toContain(declinedId);
    expect((await accept(person, declinedId)).status).toBe(404);

    const withdrawnId = await invite(base, admin, org.organizationId, person.email, 'clinician');
    const withdrawn = await withdraw(withdrawnId);
    expect([withdrawn.status, withdrawn.body]).toEqual([204, undefined]);
    expect(await myInvitations(person)).toEqual([]);
    expect((await accept(person, withdrawnId)).status).toBe(404);
    expect((await withdraw(withdrawnId)).status).toBe(404);
    expect((await membersRowsOf(org.organizationId, person.userId)).length).toBe(0);
  });

  it('gives a pending invitee nothing of the organization', async () => {
    const person = await signUp(base);
    await invite(base, admin, org.organizationId, person.email, 'admin');
    const pulled = await call(base, 'GET', `/v1/sync/pull?deviceId=${person.deviceId}&schemaVersion=1`, {
      token: person.syncToken,
    });
    expect([pulled.status, pulled.body.changes]).toEqual([200, []]);
    expect((await call(base, 'GET', '/v1/me', { token: person.authToken })).body.organizations).toEqual([]);
    for (const path of ['devices', 'audit', 'invitations']) {
      const res = await call(base, 'GET', `/v1/orgs/${org.organizationId}/${path}`, { token: person.authToken });
      expect([path, res.status, res.body.error.code]).toEqual([path, 403, 'forbidden']);
    }
  });

  it('answers exactly one of several simultaneous accepts of one invitation, writing one members row', async () => {
    const person = await signUp(base);
    // A second tab of the same person, signed in on its own.
    const tab = await signIn(base, { email: person.email, password: person.password, deviceId: person.deviceId });
    const invitationId = await invite(base, admin, org.organizationId, person.email, 'clinician');
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => accept(i % 2 ? tab : person, invitationId)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 404, 404, 404, 404, 404]);
    expect(await membersRowsOf(org.organizationId, person.userId)).toHaveLength(1);
  });

  it('lets only one of an accept, a decline and a withdrawal of one invitation take effect when they meet', async () => {
    for (let round = 0; round < 4; round++) {
      const person = await signUp(base);
      const invitationId = await invite(base, admin, org.organizationId, person.email, 'receptionist');
      const [accepted, declined, withdrawn] = await Promise.all([
        accept(person, invitationId),
        call(base, 'POST', `/v1/invitations/${invitationId}/decline`, { token: person.authToken }),
        withdraw(invitationId),
      ]);
      const succeeded = [accepted.status === 200, declined.status === 204, withdrawn.status === 204];
      expect([round, succeeded.filter(Boolean).length]).toEqual([round, 1]);
      for (const res of [accepted, declined, withdrawn]) expect([200, 204, 404]).toContain(res.status);
      // The person is a member exactly when the accept is what took effect.
      const me = await call(base, 'GET', '/v1/me', { token: person.authToken });
      expect([round, me.body.organizations.length]).toEqual([round, accepted.status === 200 ? 1 : 0]);
      expect([round, (await membersRowsOf(org.organizationId, person.userId)).length]).toEqual([
        round,
        accepted.status === 200 ? 1 : 0,
      ]);
    }
  });

  it('ends the invitations an admin left pending once they stop being admin: removed, left or demoted', async () => {
    const clinic = await createOrganization(base, admin, { name: 'Hillside Clinic' });
    const inOrg = () => orgInvitations(clinic.organizationId).then((list) => list.map((i) => i.invitationId));
    // Three admins besides Ada; each invites a second account of their own as admin before losing the role.
    const [removed, leaver, demoted, staying] = await Promise.all([1, 2, 3, 4].map(() => signUp(base)));
    const memberships: string[] = [];
    for (const person of [removed!, leaver!, demoted!, staying!])
      memberships.push(await addMember(base, admin, clinic.organizationId, person, 'admin'));
    const seconds = await Promise.all([1, 2, 3, 4].map(() => signUp(base)));
    const invitations: string[] = [];
    for (const [i, inviter] of [removed!, leaver!, demoted!, staying!].entries())
      invitations.push(await invite(base, inviter, clinic.organizationId, seconds[i]!.email, 'admin'));
    const adas = await invite(
      base,
      admin,
      clinic.organizationId,
      `colleague-${randomUUID()}@example.test`,
      'clinician',
    );
    expect(await inOrg()).toEqual(expect.arrayContaining([...invitations, adas]));

    const applied = [{ status: 'applied' }];
    expect(await pushResults(base, admin, [deleteEvent('members', memberships[0]!, 1)])).toMatchObject(applied);
    expect(await pushResults(base, leaver!, [deleteEvent('members', memberships[1]!, 1)])).toMatchObject(applied);
    expect(
      await pushResults(base, admin, [updateEvent('members', memberships[2]!, 1, { role: 'clinician' })]),
    ).toMatchObject(applied);

    for (const [i, second] of seconds.slice(0, 3).entries()) {
      expect(await myInvitations(second!)).toEqual([]);
      const answer = await accept(second!, invitations[i]!);
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
      expect(await membersRowsOf(clinic.organizationId, second!.userId)).toEqual([]);
    }
    // What the admins still see: the invitations of those who are still admins, Ada's and the staying admin's.
    expect((await inOrg()).sort()).toEqual([adas, invitations[3]!].sort());
    expect((await accept(seconds[3]!, invitations[3]!)).status).toBe(200);
    // Invited again by an admin, the person joins as usual.
    const again = await invite(base, admin, clinic.organizationId, seconds[0]!.email, 'clinician');
    expect((await accept(seconds[0]!, again)).body).toEqual({
      organizationId: clinic.organizationId,
      role: 'clinician',
    });
  });

  it('keeps invited emails out of the logs, also one asked for on the removed look-up route', async () => {
    const person = await signUp(base);
    const unknown = `never-registered-${randomUUID()}@example.test`;
    const invitationId = await invite(base, admin, org.organizationId, person.email, 'clinician');
    await invite(base, admin, org.organizationId, unknown, 'clinician');
    await orgInvitations();
    await myInvitations(person);
    expect((await accept(person, invitationId)).status).toBe(200);
    const lookup = await call(base, 'GET', `/v1/users/lookup?email=${encodeURIComponent(unknown)}`, {
      token: admin.authToken,
    });
    expect(lookup.status).toBe(404);
    const logs = server.output();
    expect(logs).toContain(invitationId);
    for (const email of [person.email, unknown]) expect(logs).not.toContain(email);
  });

  it(`holds at most ${MAX_PENDING_INVITATIONS_PER_ORG} pending invitations per organization: 429 rate_limited with Retry-After beyond`, async () => {
    const owner = await signUp(base);
    const full = await createOrganization(base, owner, { name: 'Busy Practice' });
    const send = (email: string) =>
      call(base, 'POST', `/v1/orgs/${full.organizationId}/invitations`, {
        token: owner.authToken,
        body: { email, role: 'clinician' },
      });
    const first = await send(`first-${randomUUID()}@example.test`);
    expect(first.status).toBe(202);
    for (let i = 1; i < MAX_PENDING_INVITATIONS_PER_ORG - 4; i++)
      expect((await send(`p${i}-${randomUUID()}@example.test`)).status).toBe(202);
    // The last free places, asked for all at once, go to exactly as many requests.
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => send(`b${i}-${randomUUID()}@example.test`)));
    expect(burst.map((r) => r.status).sort()).toEqual([202, 202, 202, 202, 429, 429, 429, 429]);

    const over = await send(`over-${randomUUID()}@example.test`);
    expect([over.status, over.body.error.code]).toEqual([429, 'rate_limited']);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    const pending = await orgInvitations(full.organizationId, owner);
    expect(pending).toHaveLength(MAX_PENDING_INVITATIONS_PER_ORG);
    // Inviting a pending email again takes no new place; withdrawing one frees one.
    expect((await send(String(pending[7]!.email))).status).toBe(202);
    expect(
      (
        await call(base, 'DELETE', `/v1/orgs/${full.organizationId}/invitations/${first.body.invitationId}`, {
          token: owner.authToken,
        })
      ).status,
    ).toBe(204);
    expect((await send(`after-${randomUUID()}@example.test`)).status).toBe(202);
    // Other organizations are not affected by this one's cap.
    expect((await send(`over-${randomUUID()}@example.test`)).status).toBe(429);
    await invite(base, admin, org.organizationId, `elsewhere-${randomUUID()}@example.test`, 'clinician');
  }, 120_000);
});
