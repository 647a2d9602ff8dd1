/**
 * The organization admin routes in-process (PROTOCOL §6), on both databases:
 * accounts are real (register + sign-in over the app), organizations and
 * memberships are written straight into the database. The black-box suite
 * `admin-visibility.test.ts` covers the same routes through pushes.
 */
import { randomUUID } from 'node:crypto';
import type { OrganizationId } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedMember, seedOrganization } from '../src/admin/seed-org.fixture.ts';
import { describeEachDialect } from './support/dialects.ts';
import { testApp } from './support/test-deps.ts';

type App = Awaited<ReturnType<typeof testApp>>;
type Account = { userId: string; deviceId: string; authToken: string; syncToken: string };

async function request(app: App['app'], method: string, path: string, token?: string) {
  const res = await app.request(path, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as any };
}

async function signUp(app: App['app'], name: string, deviceId: string = randomUUID()): Promise<Account> {
  const email = `${randomUUID()}@example.test`;
  const password = 'correct horse battery staple';
  const json = { 'content-type': 'application/json' };
  const registered = await app.request('/v1/auth/register', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password, name }),
  });
  const { userId } = (await registered.json()) as { userId: string };
  const signedIn = await app.request('/v1/auth/sign-in', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password, deviceId, deviceName: `${name}'s PC` }),
  });
  if (signedIn.status !== 200) throw new Error(`sign-in failed: ${signedIn.status}`);
  const body = (await signedIn.json()) as { authToken: string; syncToken: string };
  return { userId, deviceId, authToken: body.authToken, syncToken: body.syncToken };
}

describeEachDialect('organization admin routes', (dialect) => {
  let t: App;
  let org: OrganizationId;
  let otherOrg: OrganizationId;
  let admin: Account;
  let clinician: Account;
  let otherAdmin: Account;
  let outsiderOnSharedPc: Account;

  beforeAll(async () => {
    t = await testApp({ url: await dialect.databaseUrl() });
    admin = await signUp(t.app, 'Admin');
    clinician = await signUp(t.app, 'Clinician');
    otherAdmin = await signUp(t.app, 'Other admin');
    // Someone from another organization signed in on the clinician's computer.
    outsiderOnSharedPc = await signUp(t.app, 'Outsider', clinician.deviceId);
    org = await seedOrganization(t.deps.db);
    otherOrg = await seedOrganization(t.deps.db);
    await seedMember(t.deps.db, { organizationId: org, userId: admin.userId, role: 'admin' });
    await seedMember(t.deps.db, { organizationId: org, userId: clinician.userId, role: 'clinician' });
    await seedMember(t.deps.db, { organizationId: otherOrg, userId: otherAdmin.userId, role: 'admin' });
    await seedMember(t.deps.db, { organizationId: otherOrg, userId: outsiderOnSharedPc.userId, role: 'clinician' });
  });
  afterAll(() => t.close());

  const routes = (orgId: string, deviceId = clinician.deviceId): [string, string][] => [
    ['GET', `/v1/orgs/${orgId}/devices`],
    ['DELETE', `/v1/orgs/${orgId}/devices/${deviceId}`],
    ['GET', `/v1/orgs/${orgId}/audit`],
  ];

  it('refuses a request without a token (401 unauthorized)', async () => {
    for (const [method, path] of routes(org)) {
      expect((await request(t.app, method, path)).body.error.code).toBe('unauthorized');
    }
  });

  it('refuses a sync token (403 wrong_token_kind)', async () => {
    for (const [method, path] of routes(org)) {
      const res = await request(t.app, method, path, admin.syncToken);
      expect([res.status, res.body.error.code]).toEqual([403, 'wrong_token_kind']);
    }
  });

  it('refuses a non-admin member, an admin of another organization and an unknown organization alike (403 forbidden)', async () => {
    for (const [orgId, caller] of [
      [org, clinician],
      [org, otherAdmin],
      [randomUUID(), admin],
    ] as const) {
      for (const [method, path] of routes(orgId)) {
        const res = await request(t.app, method, path, caller.authToken);
        expect([method, path, res.status, res.body.error.code]).toEqual([method, path, 403, 'forbidden']);
      }
    }
  });

  it('answers 400 invalid_request for a malformed organization or device id, a bad filter or a bad cursor', async () => {
    for (const path of [
      '/v1/orgs/not-a-uuid/devices',
      '/v1/orgs/not-a-uuid/audit',
      `/v1/orgs/${org}/audit?cursor=nonsense`,
      `/v1/orgs/${org}/audit?limit=0`,
      `/v1/orgs/${org}/audit?limit=501`,
      `/v1/orgs/${org}/audit?table=passwords`,
      `/v1/orgs/${org}/audit?since=yesterday`,
      `/v1/orgs/${org}/audit?recordId=1`,
      `/v1/orgs/${org}/audit?colour=blue`,
    ]) {
      const res = await request(t.app, 'GET', path, admin.authToken);
      expect([path, res.status, res.body.error.code]).toEqual([path, 400, 'invalid_request']);
    }
    const res = await request(t.app, 'DELETE', `/v1/orgs/${org}/devices/not-a-uuid`, admin.authToken);
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request']);
  });

  it("lists the members' devices with health to an admin, and nobody else's", async () => {
    const res = await request(t.app, 'GET', `/v1/orgs/${org}/devices`, admin.authToken);
    expect(res.status).toBe(200);
    const rows = res.body.devices.map((d: any) => [d.userId, d.deviceId]);
    expect(rows).toHaveLength(2);
    expect(rows).toContainEqual([admin.userId, admin.deviceId]);
    expect(rows).toContainEqual([clinician.userId, clinician.deviceId]);
    expect(res.body.devices[0]).toMatchObject({
      syncTokenRevoked: false,
      health: 'ok',
      staleness: null,
      pending: null,
    });
  });

  it("answers 404 for a device none of the organization's members has", async () => {
    const unknown = await request(t.app, 'DELETE', `/v1/orgs/${org}/devices/${randomUUID()}`, admin.authToken);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    // An admin of another organization, through their own organization, cannot reach our admin's device.
    const foreign = await request(
      t.app,
      'DELETE',
      `/v1/orgs/${otherOrg}/devices/${admin.deviceId}`,
      otherAdmin.authToken,
    );
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);
    expect(
      (await request(t.app, 'GET', `/v1/sync/pull?deviceId=${admin.deviceId}&schemaVersion=1`, admin.syncToken)).status,
    ).toBe(200);
  });

  it("revokes the members' tokens on a device, and never another organization's member's token there", async () => {
    const revoked = await request(t.app, 'DELETE', `/v1/orgs/${org}/devices/${clinician.deviceId}`, admin.authToken);
    expect([revoked.status, revoked.body]).toEqual([200, { ok: true }]);

    const pull = (token: string, deviceId: string) =>
      request(t.app, 'GET', `/v1/sync/pull?deviceId=${deviceId}&schemaVersion=1`, token);
    const clinicianPull = await pull(clinician.syncToken, clinician.deviceId);
    expect([clinicianPull.status, clinicianPull.body.error?.code]).toEqual([401, 'token_revoked']);
    expect((await pull(outsiderOnSharedPc.syncToken, outsiderOnSharedPc.deviceId)).status).toBe(200);
    expect((await pull(admin.syncToken, admin.deviceId)).status).toBe(200);

    const list = await request(t.app, 'GET', `/v1/orgs/${org}/devices`, admin.authToken);
    const row = list.body.devices.find((d: any) => d.userId === clinician.userId);
    expect(row.syncTokenRevoked).toBe(true);

    // Revoking again is answered the same.
    const again = await request(t.app, 'DELETE', `/v1/orgs/${org}/devices/${clinician.deviceId}`, admin.authToken);
    expect([again.status, again.body]).toEqual([200, { ok: true }]);
  });

  it('answers an empty audit page for an organization without changes', async () => {
    const res = await request(t.app, 'GET', `/v1/orgs/${org}/audit?limit=5`, admin.authToken);
    expect([res.status, res.body]).toEqual([200, { entries: [], nextCursor: null }]);
  });
});
