/**
 * Invitations expire (PROTOCOL §1b, 14 days by default), in-process with a
 * fake clock on SQLite and PostgreSQL: an expired invitation is listed
 * nowhere, can be answered by nobody, holds no place among the 200 pending,
 * and the cap's `Retry-After` says when the oldest place frees itself.
 */
import { randomUUID } from 'node:crypto';
import { MAX_PENDING_INVITATIONS_PER_ORG } from '@clinicsync/protocol';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/support/dialects.ts';
import { testApp } from '../../test/support/test-deps.ts';
import { seedMember, seedOrganization } from '../admin/seed-org.fixture.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const PASSWORD = 'long enough password';

async function harness(url: string, config: { invitationTtlDays?: number } = {}) {
  const t = await testApp({ url, config });
  const request = async (method: string, path: string, token?: string, body?: unknown) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await t.app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  const register = async (email = `u-${randomUUID()}@example.test`) => {
    const res = await request('POST', '/v1/auth/register', undefined, { email, password: PASSWORD, name: 'U' });
    expect(res.status).toBe(201);
    return { email, userId: res.body.userId as string };
  };
  /** A fresh UI session (auth tokens last 15 minutes; the tests move the clock by days). */
  const session = async (email: string) => {
    const res = await request('POST', '/v1/auth/sign-in', undefined, {
      email,
      password: PASSWORD,
      deviceId: randomUUID(),
      deviceName: 'Desk',
    });
    expect(res.status).toBe(200);
    return res.body.authToken as string;
  };
  const admin = await register();
  const organizationId = await seedOrganization(t.deps.db, { name: 'Riverside' });
  await seedMember(t.deps.db, { organizationId, userId: admin.userId, role: 'admin' });
  const invite = async (email: string) =>
    request('POST', `/v1/orgs/${organizationId}/invitations`, await session(admin.email), { email, role: 'clinician' });
  const pendingIds = async () =>
    (await request('GET', `/v1/orgs/${organizationId}/invitations`, await session(admin.email))).body.invitations.map(
      (i: { invitationId: string }) => i.invitationId,
    );
  return { ...t, request, register, session, admin, organizationId, invite, pendingIds };
}

describeEachDialect('invitation expiry', (dialect) => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeEach(async () => {
    h = await harness(await dialect.databaseUrl());
  });
  afterEach(() => h.close());

  it('ends an invitation 14 days after it was sent: listed nowhere, answered by nobody', async () => {
    const person = await h.register();
    const invited = await h.invite(person.email);
    expect(invited.status).toBe(202);
    const id = invited.body.invitationId as string;

    h.deps.clock.advance(14 * DAY_MS - 1000);
    expect(await h.pendingIds()).toEqual([id]);
    const mine = await h.request('GET', '/v1/invitations', await h.session(person.email));
    expect(mine.body.invitations.map((i: { invitationId: string }) => i.invitationId)).toEqual([id]);

    h.deps.clock.advance(1000);
    expect(await h.pendingIds()).toEqual([]);
    const token = await h.session(person.email);
    expect((await h.request('GET', '/v1/invitations', token)).body.invitations).toEqual([]);
    for (const action of ['accept', 'decline']) {
      const res = await h.request('POST', `/v1/invitations/${id}/${action}`, token);
      expect([action, res.status, res.body.error.code]).toEqual([action, 404, 'not_found']);
    }
    const withdrawn = await h.request(
      'DELETE',
      `/v1/orgs/${h.organizationId}/invitations/${id}`,
      await h.session(h.admin.email),
    );
    expect(withdrawn.status).toBe(404);
    expect((await h.request('GET', '/v1/me', token)).body.organizations).toEqual([]);

    // Inviting again sends a new invitation with a fresh 14 days.
    const again = await h.invite(person.email);
    expect(again.status).toBe(202);
    expect(again.body.invitationId).not.toBe(id);
    expect(await h.pendingIds()).toEqual([again.body.invitationId]);
  });

  it('keeps a waiting invitation for a person who registers before it expires, and none after', async () => {
    const early = `early-${randomUUID()}@example.test`;
    const late = `late-${randomUUID()}@example.test`;
    await h.invite(early);
    await h.invite(late);
    h.deps.clock.advance(13 * DAY_MS);
    await h.register(early);
    const accepted = await h.request(
      'POST',
      `/v1/invitations/${(await h.request('GET', '/v1/invitations', await h.session(early))).body.invitations[0].invitationId}/accept`,
      await h.session(early),
    );
    expect(accepted.status).toBe(200);
    h.deps.clock.advance(1 * DAY_MS);
    await h.register(late);
    expect((await h.request('GET', '/v1/invitations', await h.session(late))).body.invitations).toEqual([]);
  });

  it('counts only unexpired invitations against the cap, and says in Retry-After when the oldest expires', async () => {
    let token = await h.session(h.admin.email);
    const send = (email: string) =>
      h.request('POST', `/v1/orgs/${h.organizationId}/invitations`, token, { email, role: 'receptionist' });
    expect((await send(`first-${randomUUID()}@example.test`)).status).toBe(202);
    h.deps.clock.advance(60 * 60 * 1000);
    token = await h.session(h.admin.email);
    for (let i = 1; i < MAX_PENDING_INVITATIONS_PER_ORG; i++)
      expect((await send(`p${i}-${randomUUID()}@example.test`)).status).toBe(202);
    const over = await send(`over-${randomUUID()}@example.test`);
    expect([over.status, over.body.error.code]).toEqual([429, 'rate_limited']);
    // The first invitation frees its place 14 days after it was sent, 13 days and 23 hours from now.
    expect(Number(over.headers.get('retry-after'))).toBe((14 * DAY_MS - 60 * 60 * 1000) / 1000);
    h.deps.clock.advance(14 * DAY_MS - 60 * 60 * 1000);
    token = await h.session(h.admin.email);
    expect((await send(`later-${randomUUID()}@example.test`)).status).toBe(202);
    expect((await send(`one-more-${randomUUID()}@example.test`)).status).toBe(429);
  });

  it('takes the lifetime from the server configuration', async () => {
    await h.close();
    h = await harness(await dialect.databaseUrl(), { invitationTtlDays: 3 });
    await h.invite(`short-${randomUUID()}@example.test`);
    const [listed] = (
      await h.request('GET', `/v1/orgs/${h.organizationId}/invitations`, await h.session(h.admin.email))
    ).body.invitations;
    expect(Date.parse(listed.expiresAt) - Date.parse(listed.createdAt)).toBe(3 * DAY_MS);
    h.deps.clock.advance(3 * DAY_MS);
    expect(await h.pendingIds()).toEqual([]);
  });
});
