/**
 * What people outside an organization learn about it, black box against the
 * real server process (PROTOCOL §1b, §6, §8): an admin of another
 * organization, a member who left or was demoted, and whoever reads the
 * server's logs and `/metrics`. Bulk Data export links belong to the admin
 * who started the export, in that organization, while they are its admin;
 * another organization's id answers exactly as an unknown one; and nothing
 * the clinic typed (names, notes, emails, the organization's name), no token,
 * password, cursor or export link reaches the logs or the metrics.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { call } from './support/http-client.ts';
import {
  addMember,
  createOrganization,
  deleteEvent,
  insertEvent,
  invite,
  push,
  pushApplied,
  pushResults,
  rows,
  updateEvent,
  type CreatedOrganization,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

/** Text a clinic typed: none of it may leave the organization. */
const TYPED = {
  organization: 'Ridgeview-Orgname-5521',
  givenName: 'Wanjiru-Given-8812',
  familyName: 'Kamau-Family-3307',
  notes: 'Confidential-Note-4471',
  phone: '+254-700-918273',
};

async function get(base: string, path: string, token?: string, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path, base), {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** An answer with its request id taken out, so two answers can be compared byte for byte. */
const withoutRequestId = (text: string) => text.replace(/"requestId":"[^"]*"/g, '');

describe('what outsiders learn about an organization', () => {
  let server: ServerProcess;
  let alice!: SignedUpUser; // admin of A, starts the export
  let carol!: SignedUpUser; // second admin of A
  let bob!: SignedUpUser; // admin of B
  let A!: CreatedOrganization;
  let B!: CreatedOrganization;
  let patientId: string;
  let aliceMembership: string;
  let statusPath: string;
  let filePath: string;
  let cursor: string;

  beforeAll(async () => {
    server = await startServerProcess();
    [alice, carol, bob] = (await Promise.all([1, 2, 3].map(() => signUp(server.url)))) as [
      SignedUpUser,
      SignedUpUser,
      SignedUpUser,
    ];
    A = await createOrganization(server.url, alice, { name: TYPED.organization });
    B = await createOrganization(server.url, bob, { name: 'Other Clinic' });
    aliceMembership = A.memberId;
    await addMember(server.url, alice, A.organizationId, carol, 'admin');
    const patient = insertEvent(
      'patients',
      rows.patient(A.organizationId, {
        given_name: TYPED.givenName,
        family_name: TYPED.familyName,
        notes: TYPED.notes,
        phone: TYPED.phone,
      }),
    );
    patientId = patient.recordId;
    await pushApplied(server.url, alice, [patient, insertEvent('medications', rows.medication(patientId))]);

    const kickOff = await get(server.url, `/v1/orgs/${A.organizationId}/fhir/r4/$export`, alice.authToken, {
      prefer: 'respond-async',
    });
    expect(kickOff.status).toBe(202);
    statusPath = new URL(kickOff.headers.get('content-location')!).pathname;
    const manifest = JSON.parse((await get(server.url, statusPath, alice.authToken)).text);
    filePath = new URL(manifest.output.find((o: { type: string }) => o.type === 'Patient').url).pathname;
    const pulled = await call(server.url, 'GET', `/v1/sync/pull?deviceId=${alice.deviceId}&schemaVersion=1`, {
      token: alice.syncToken,
    });
    cursor = pulled.body.cursor;
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("gives another organization's admin nothing of an export link, under either organization", async () => {
    const foreignPath = (path: string) => path.replace(A.organizationId, B.organizationId);
    for (const path of [statusPath, filePath]) {
      expect((await get(server.url, path, bob.authToken)).status, path).toBe(403);
      // Under the organization Bob administers, the link names no export of his.
      const underB = await get(server.url, foreignPath(path), bob.authToken);
      expect(underB.status, path).toBe(404);
      expect(underB.text).not.toContain(TYPED.givenName);
      // Nor does a co-admin of A get the export another admin started.
      expect((await get(server.url, path, carol.authToken)).status, path).toBe(404);
    }
    const file = await get(server.url, filePath, alice.authToken);
    expect(file.status).toBe(200);
    expect(file.text).toContain(TYPED.givenName);
  });

  it("answers another organization's id exactly as an unknown one, on every organization route", async () => {
    const unknown = randomUUID();
    for (const route of ['devices', 'audit', 'invitations', 'fhir/r4/Patient', `fhir/r4/Patient/${patientId}`]) {
      const foreign = await get(server.url, `/v1/orgs/${A.organizationId}/${route}`, bob.authToken);
      const none = await get(server.url, `/v1/orgs/${unknown}/${route}`, bob.authToken);
      expect(foreign.status, route).toBe(403);
      expect(none.status, route).toBe(403);
      expect(withoutRequestId(foreign.text), route).toBe(withoutRequestId(none.text));
    }
  });

  it('keeps the typed text, emails, tokens, cursors and export links out of the logs and the metrics', async () => {
    // Refused and failing requests carry the same text: none of it may be echoed into a log line.
    await push(server.url, alice, [
      insertEvent('patients', rows.patient(A.organizationId, { given_name: `${TYPED.givenName}${'x'.repeat(300)}` })),
      insertEvent('patients', rows.patient(B.organizationId, { notes: TYPED.notes })),
      updateEvent('patients', patientId, 99, { notes: `${TYPED.notes} stale` }),
    ]);
    await call(server.url, 'POST', '/v1/sync/push', {
      token: alice.syncToken,
      rawBody: `{"deviceId":"${alice.deviceId}","events":[{"notes":"${TYPED.notes}"`,
      skipContract: true,
    });
    await call(server.url, 'POST', '/v1/auth/register', {
      body: { email: alice.email, password: alice.password, name: TYPED.familyName },
    });
    await invite(server.url, alice, A.organizationId, `invitee-${randomUUID()}@example.test`, 'clinician');
    await get(server.url, `/v1/orgs/${A.organizationId}/fhir/r4/Patient?family=${TYPED.familyName}`, alice.authToken);
    await get(
      server.url,
      `/v1/sync/pull?deviceId=${alice.deviceId}&schemaVersion=1&cursor=${cursor}x`,
      alice.syncToken,
    );
    const metrics = await get(server.url, '/metrics');
    expect(metrics.status).toBe(200);
    const exportToken = statusPath.split('/').at(-1)!;
    const secrets = [
      ...Object.values(TYPED),
      alice.email,
      carol.email,
      bob.email,
      'invitee-',
      alice.password,
      alice.authToken,
      alice.refreshToken,
      alice.syncToken,
      cursor,
      exportToken,
    ];
    const logs = server.output();
    for (const secret of secrets) {
      expect(logs, secret).not.toContain(secret);
      expect(metrics.text, secret).not.toContain(secret);
    }
    // The metrics name routes by pattern: no organization, patient or device id either.
    for (const id of [A.organizationId, patientId, alice.deviceId, alice.userId])
      expect(metrics.text, id).not.toContain(id);
  });

  it('closes an export link to its admin once they are demoted, and once they have left', async () => {
    // Carol, the other admin, makes Alice a clinician: the link she holds stops working.
    expect(
      await pushResults(server.url, carol, [updateEvent('members', aliceMembership, 1, { role: 'clinician' })]),
    ).toMatchObject([{ status: 'applied' }]);
    for (const path of [statusPath, filePath]) expect((await get(server.url, path, alice.authToken)).status).toBe(403);
    // Then Alice leaves: still nothing, and nothing of the organization by FHIR either.
    expect(await pushResults(server.url, alice, [deleteEvent('members', aliceMembership, 2)])).toMatchObject([
      { status: 'applied' },
    ]);
    for (const path of [statusPath, filePath, `/v1/orgs/${A.organizationId}/fhir/r4/Patient/${patientId}`]) {
      const answer = await get(server.url, path, alice.authToken);
      expect(answer.status, path).toBe(403);
      expect(answer.text).not.toContain(TYPED.givenName);
    }
  });
});
