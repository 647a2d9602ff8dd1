/**
 * A person belongs to at most MAX_MEMBERSHIPS_PER_USER organizations (their
 * pull cursor keeps a position per organization), and only by consent
 * (PROTOCOL §1b): a stranger with an account cannot fill a victim's cap by
 * pushing members rows, invitations count nothing, and beyond the cap an
 * accept is `409 membership_limit` with the invitation left pending.
 */
import { MAX_MEMBERSHIPS_PER_USER } from '@clinicsync/protocol';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp } from './support/accounts.ts';
import { accept, bootstrapEvents, deleteEvent, insertEvent, invite, pushResults } from './support/orgs.ts';
import { call } from './support/http-client.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(() => server.stop());

async function pullAll(user: {
  deviceId: string;
  syncToken: string;
}): Promise<{ cursor: string; organizations: Set<string> }> {
  let cursor: string | undefined;
  const organizations = new Set<string>();
  for (let page = 0; page < 20; page++) {
    const query = new URLSearchParams({
      deviceId: user.deviceId,
      schemaVersion: '1',
      limit: '5000',
      ...(cursor ? { cursor } : {}),
    });
    const res = await call(server.url, 'GET', `/v1/sync/pull?${query}`, { token: user.syncToken });
    expect(res.status).toBe(200);
    for (const change of res.body.changes) organizations.add(change.organizationId);
    cursor = res.body.cursor;
    if (!res.body.hasMore) break;
  }
  return { cursor: cursor!, organizations };
}

it("refuses members rows pushed for someone else, so a stranger cannot fill a victim's cap", async () => {
  const victim = await signUp(server.url);
  const stranger = await signUp(server.url);
  const org = randomUUID();
  const results = await pushResults(server.url, stranger, [
    ...bootstrapEvents(stranger.userId, org),
    insertEvent('members', { organization_id: org, user_id: victim.userId, role: 'receptionist' }),
    insertEvent('members', { organization_id: org, user_id: victim.userId, role: 'admin' }),
  ]);
  expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
    'applied',
    'applied',
    'forbidden',
    'forbidden',
  ]);
  expect((await pullAll(victim)).organizations.size).toBe(0);
  const me = await call(server.url, 'GET', '/v1/me', { token: victim.authToken });
  expect(me.body.organizations).toEqual([]);
});

it(`stops accepting at ${MAX_MEMBERSHIPS_PER_USER} memberships with 409 membership_limit; the invitation waits until the person leaves one`, async () => {
  const victim = await signUp(server.url);
  // Two admins: one person alone could not create 51 organizations (the cap holds for creators too).
  const admins = [await signUp(server.url), await signUp(server.url)];
  const orgs = Array.from({ length: MAX_MEMBERSHIPS_PER_USER + 1 }, () => randomUUID());
  const adminOf = (index: number) => admins[index % 2]!;
  for (const [i, admin] of admins.entries()) {
    const results = await pushResults(
      server.url,
      admin,
      orgs.filter((_, index) => index % 2 === i).flatMap((org) => bootstrapEvents(admin.userId, org)),
    );
    expect(results.every((r) => r.status === 'applied')).toBe(true);
  }
  // Invitations count nothing: all of them can wait at once.
  const invitations = [];
  for (const [index, org] of orgs.entries())
    invitations.push(await invite(server.url, adminOf(index), org, victim.email, 'clinician'));
  for (const id of invitations.slice(0, MAX_MEMBERSHIPS_PER_USER)) await accept(server.url, victim, id);

  const over = await call(server.url, 'POST', `/v1/invitations/${invitations.at(-1)}/accept`, {
    token: victim.authToken,
  });
  expect(over.status).toBe(409);
  expect(over.body.error.code).toBe('membership_limit');
  const waiting = await call(server.url, 'GET', '/v1/invitations', { token: victim.authToken });
  expect(waiting.body.invitations.map((i: { invitationId: string }) => i.invitationId)).toEqual([invitations.at(-1)]);
  // Nor can a new organization of their own take them past it: its admin row is refused, so nothing of it is created.
  const own = await pushResults(server.url, victim, bootstrapEvents(victim.userId));
  expect(own.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
    'bootstrap_incomplete',
    'bootstrap_incomplete',
  ]);
  // Their sync keeps working with 50 organizations.
  const { organizations } = await pullAll(victim);
  expect(organizations.size).toBe(MAX_MEMBERSHIPS_PER_USER);

  // Leaving one (their own members row, through push) makes room.
  const audit = await call(server.url, 'GET', `/v1/orgs/${orgs[0]}/audit?table=members&userId=${victim.userId}`, {
    token: adminOf(0).authToken,
  });
  const membership = audit.body.entries[0].recordId;
  expect((await pushResults(server.url, victim, [deleteEvent('members', membership, 1)]))[0]).toMatchObject({
    status: 'applied',
  });
  expect(await accept(server.url, victim, invitations.at(-1)!)).toEqual({
    organizationId: orgs.at(-1),
    role: 'clinician',
  });
}, 120_000);

it('counts no membership of a deleted organization', async () => {
  const victim = await signUp(server.url);
  const admin = await signUp(server.url);
  const org = randomUUID();
  await pushResults(server.url, admin, bootstrapEvents(admin.userId, org));
  await accept(server.url, victim, await invite(server.url, admin, org, victim.email, 'clinician'));
  expect((await call(server.url, 'GET', '/v1/me', { token: victim.authToken })).body.organizations).toHaveLength(1);
  expect((await pushResults(server.url, admin, [deleteEvent('organizations', org, 1)]))[0]).toMatchObject({
    status: 'applied',
  });
  expect((await call(server.url, 'GET', '/v1/me', { token: victim.authToken })).body.organizations).toEqual([]);
  const pulled = await call(server.url, 'GET', `/v1/sync/pull?deviceId=${victim.deviceId}&schemaVersion=1`, {
    token: victim.syncToken,
  });
  expect(pulled.body.changes).toEqual([]);
});
