/**
 * A client session that touches every documented operation of a real server
 * process, successes and the main failures. `call()` checks each answer
 * against the reference; the last test checks that nothing was left out.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { call as rawCall, loadReference, type CallOptions } from './support/http-client.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const visited = new Set<string>();

/** `call`, remembering which documented operation each request hit. */
async function call(base: string, method: string, path: string, options: CallOptions = {}) {
  const op = loadReference().match(method, new URL(path, base).pathname);
  if (op) visited.add(`${op.method.toUpperCase()} ${op.template}`);
  return rawCall(base, method, path, options);
}

const now = () => new Date().toISOString();

describe('every documented operation answers as documented', () => {
  let server: ServerProcess;
  let alice: SignedUpUser;
  let bob: SignedUpUser;
  const orgId = randomUUID();
  let cursor: string;

  beforeAll(async () => {
    server = await startServerProcess();
    alice = await signUp(server.url, { name: 'Alice Admin' });
    bob = await signUp(server.url, { name: 'Bob Outsider' });
  });
  afterAll(() => server.stop());

  it('accounts: register, duplicate email, invalid body', async () => {
    const email = `tour-${randomUUID()}@example.test`;
    expect(
      (
        await call(server.url, 'POST', '/v1/auth/register', {
          body: { email, password: 'correct horse battery', name: 'Tour' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(server.url, 'POST', '/v1/auth/register', {
          body: { email, password: 'correct horse battery', name: 'Tour' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call(server.url, 'POST', '/v1/auth/register', {
          body: { email: 'not-an-email', password: 'x', name: '' },
        })
      ).status,
    ).toBe(400);
  });

  it('accounts: sign-in with a wrong password, me, devices', async () => {
    const refused = await call(server.url, 'POST', '/v1/auth/sign-in', {
      body: { email: alice.email, password: 'wrong password!', deviceId: randomUUID(), deviceName: 'x' },
    });
    expect(refused.status).toBe(401);
    expect((await call(server.url, 'GET', '/v1/me', { token: alice.authToken })).status).toBe(200);
    expect((await call(server.url, 'GET', '/v1/me')).status).toBe(401);
    expect((await call(server.url, 'GET', '/v1/me', { token: alice.syncToken })).status).toBe(403);
    expect((await call(server.url, 'GET', '/v1/devices', { token: alice.authToken })).status).toBe(200);
  });

  it('sync: bootstrap push, heartbeat, a rejected event, wrong token kind', async () => {
    const events = [
      {
        eventId: randomUUID(),
        table: 'organizations',
        op: 'INSERT',
        recordId: orgId,
        baseVersion: 0,
        data: { name: 'Tour Clinic' },
        createdAt: now(),
      },
      {
        eventId: randomUUID(),
        table: 'members',
        op: 'INSERT',
        recordId: randomUUID(),
        baseVersion: 0,
        data: { organization_id: orgId, user_id: alice.userId, role: 'admin' },
        createdAt: now(),
      },
      {
        eventId: randomUUID(),
        table: 'teams',
        op: 'INSERT',
        recordId: randomUUID(),
        baseVersion: 0,
        data: { organization_id: orgId, name: 'Ward A' },
        createdAt: now(),
      },
      {
        eventId: randomUUID(),
        table: 'no_such_table',
        op: 'INSERT',
        recordId: randomUUID(),
        baseVersion: 0,
        data: {},
        createdAt: now(),
      },
    ];
    const pushed = await call(server.url, 'POST', '/v1/sync/push', {
      token: alice.syncToken,
      body: { deviceId: alice.deviceId, schemaVersion: 1, outbox: { pending: 4, oldestPendingAt: now() }, events },
    });
    expect(pushed.status).toBe(200);
    expect(pushed.body.results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'rejected',
    ]);
    const heartbeat = await call(server.url, 'POST', '/v1/sync/push', {
      token: alice.syncToken,
      body: { deviceId: alice.deviceId, schemaVersion: 1, outbox: { pending: 0 }, events: [] },
    });
    expect(heartbeat.status).toBe(200);
    expect(
      (
        await call(server.url, 'POST', '/v1/sync/push', {
          token: alice.authToken,
          body: { deviceId: alice.deviceId, schemaVersion: 1, events: [] },
        })
      ).status,
    ).toBe(403);
  });

  it('sync: pull pages, a refused cursor, the schema', async () => {
    const first = await call(server.url, 'GET', `/v1/sync/pull?deviceId=${alice.deviceId}&schemaVersion=1&limit=2`, {
      token: alice.syncToken,
    });
    expect(first.status).toBe(200);
    cursor = first.body.cursor;
    const rest = await call(
      server.url,
      'GET',
      `/v1/sync/pull?deviceId=${alice.deviceId}&schemaVersion=1&cursor=${encodeURIComponent(cursor)}`,
      { token: alice.syncToken },
    );
    expect(rest.status).toBe(200);
    const tampered = await call(
      server.url,
      'GET',
      `/v1/sync/pull?deviceId=${alice.deviceId}&schemaVersion=1&cursor=${encodeURIComponent(`${cursor}x`)}`,
      { token: alice.syncToken },
    );
    expect(tampered.status).toBe(410);
    expect(
      (
        await call(server.url, 'GET', `/v1/sync/pull?deviceId=${bob.deviceId}&schemaVersion=1`, {
          token: alice.syncToken,
        })
      ).status,
    ).toBe(403);
    expect((await call(server.url, 'GET', '/v1/sync/schema')).status).toBe(200);
  });

  it('invitations: invite, list, withdraw, accept and decline; the old user lookup is gone', async () => {
    expect(
      (
        await call(server.url, 'GET', `/v1/users/lookup?email=${encodeURIComponent(bob.email)}`, {
          token: alice.authToken,
        })
      ).status,
    ).toBe(404);
    const invite = (email: string) =>
      call(server.url, 'POST', `/v1/orgs/${orgId}/invitations`, {
        token: alice.authToken,
        body: { email, role: 'clinician' },
      });
    const first = await invite(bob.email);
    expect(first.status).toBe(202);
    expect((await invite(`nobody-${randomUUID()}@example.test`)).status).toBe(202);
    expect(
      (await call(server.url, 'GET', `/v1/orgs/${orgId}/invitations`, { token: alice.authToken })).body.invitations,
    ).toHaveLength(2);
    expect((await call(server.url, 'GET', `/v1/orgs/${orgId}/invitations`, { token: bob.authToken })).status).toBe(403);
    expect((await call(server.url, 'GET', '/v1/invitations', { token: bob.authToken })).body.invitations).toHaveLength(
      1,
    );
    expect(
      (await call(server.url, 'POST', `/v1/invitations/${first.body.invitationId}/decline`, { token: bob.authToken }))
        .status,
    ).toBe(204);
    expect(
      (await call(server.url, 'POST', `/v1/invitations/${first.body.invitationId}/accept`, { token: bob.authToken }))
        .status,
    ).toBe(404);
    const second = await invite(bob.email);
    expect(
      (
        await call(server.url, 'DELETE', `/v1/orgs/${orgId}/invitations/${second.body.invitationId}`, {
          token: alice.authToken,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await call(server.url, 'DELETE', `/v1/orgs/${orgId}/invitations/${second.body.invitationId}`, {
          token: alice.authToken,
        })
      ).status,
    ).toBe(404);
  });

  it("FHIR: metadata, search and read of each type, a patient's everything, a Bulk Data export with its status and file", async () => {
    const patientId = randomUUID();
    const pushed = await call(server.url, 'POST', '/v1/sync/push', {
      token: alice.syncToken,
      body: {
        deviceId: alice.deviceId,
        schemaVersion: 3,
        events: [
          {
            eventId: randomUUID(),
            table: 'patients',
            op: 'INSERT',
            recordId: patientId,
            baseVersion: 0,
            data: { organization_id: orgId, given_name: 'Tour', family_name: 'Patient' },
            createdAt: now(),
          },
        ],
      },
    });
    expect(pushed.body.results[0].status).toBe('applied');
    const fhir = `/v1/orgs/${orgId}/fhir/r4`;
    expect((await call(server.url, 'GET', `${fhir}/metadata`)).status).toBe(200);
    for (const type of ['Patient', 'Appointment', 'Observation', 'MedicationStatement']) {
      expect((await call(server.url, 'GET', `${fhir}/${type}?_count=1`, { token: alice.authToken })).status).toBe(200);
      expect(
        (
          await call(server.url, 'GET', `${fhir}/${type}/${type === 'Patient' ? patientId : randomUUID()}`, {
            token: alice.authToken,
          })
        ).status,
      ).toBe(type === 'Patient' ? 200 : 404);
    }
    expect((await call(server.url, 'GET', `${fhir}/Patient`, { token: bob.authToken })).status).toBe(403);
    expect(
      (await call(server.url, 'GET', `${fhir}/Patient/${patientId}/$everything`, { token: alice.authToken })).status,
    ).toBe(200);
    expect(
      (
        await call(server.url, 'GET', `${fhir}/Patient/$export`, {
          token: alice.authToken,
          headers: { prefer: 'respond-async' },
        })
      ).status,
    ).toBe(202);
    const kickOff = await call(server.url, 'GET', `${fhir}/$export?_type=Patient`, {
      token: alice.authToken,
      headers: { prefer: 'respond-async' },
    });
    expect(kickOff.status).toBe(202);
    const status = new URL(kickOff.headers.get('content-location')!).pathname;
    const manifest = await call(server.url, 'GET', status, { token: alice.authToken });
    expect(manifest.status).toBe(200);
    const file = await call(server.url, 'GET', new URL(manifest.body.output[0].url).pathname, {
      token: alice.authToken,
    });
    expect(file.status).toBe(200);
    expect((await call(server.url, 'DELETE', status, { token: alice.authToken })).status).toBe(202);
  });

  it('admin: devices and audit for the admin, refused to an outsider, malformed org id', async () => {
    expect((await call(server.url, 'GET', `/v1/orgs/${orgId}/devices`, { token: alice.authToken })).status).toBe(200);
    expect((await call(server.url, 'GET', `/v1/orgs/${orgId}/audit?limit=2`, { token: alice.authToken })).status).toBe(
      200,
    );
    expect((await call(server.url, 'GET', `/v1/orgs/${orgId}/devices`, { token: bob.authToken })).status).toBe(403);
    expect((await call(server.url, 'GET', `/v1/orgs/${orgId}/audit`, { token: bob.authToken })).status).toBe(403);
    expect((await call(server.url, 'GET', '/v1/orgs/not-a-uuid/devices', { token: alice.authToken })).status).toBe(400);
  });

  it("admin: revoking a device outside the organization is not found; revoking a member's device stops its sync", async () => {
    expect(
      (await call(server.url, 'DELETE', `/v1/orgs/${orgId}/devices/${bob.deviceId}`, { token: alice.authToken }))
        .status,
    ).toBe(404);
    const second = await signUp(server.url, { email: `alice2-${randomUUID()}@example.test` });
    expect(
      (await call(server.url, 'DELETE', `/v1/orgs/${orgId}/devices/${alice.deviceId}`, { token: alice.authToken }))
        .status,
    ).toBe(200);
    const after = await call(server.url, 'GET', `/v1/sync/pull?deviceId=${alice.deviceId}&schemaVersion=1`, {
      token: alice.syncToken,
    });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('token_revoked');
    expect(second.userId).not.toBe(alice.userId);
  });

  it('accounts: refresh rotation and reuse, device revocation, sign-out', async () => {
    const refreshed = await call(server.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: bob.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(
      (await call(server.url, 'POST', '/v1/auth/refresh', { body: { refreshToken: bob.refreshToken } })).status,
    ).toBe(401);
    const bobAgain = await signUp(server.url);
    expect(
      (await call(server.url, 'DELETE', `/v1/devices/${randomUUID()}`, { token: bobAgain.authToken })).status,
    ).toBe(404);
    expect(
      (await call(server.url, 'DELETE', `/v1/devices/${bobAgain.deviceId}`, { token: bobAgain.authToken })).status,
    ).toBe(200);
    expect((await call(server.url, 'POST', '/v1/auth/sign-out', { token: bobAgain.authToken })).status).toBe(200);
    expect((await call(server.url, 'GET', '/v1/me', { token: bobAgain.authToken })).status).toBe(401);
  });

  it('service: health, metrics and the reference itself', async () => {
    expect((await call(server.url, 'GET', '/healthz')).status).toBe(200);
    expect((await call(server.url, 'GET', '/metrics')).status).toBe(200);
    expect((await call(server.url, 'GET', '/v1/openapi.json')).status).toBe(200);
  });

  it('left no documented operation untried', () => {
    const documented = Object.entries(loadReference().document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.filter((op) => !visited.has(op))).toEqual([]);
  });
});
