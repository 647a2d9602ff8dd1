/**
 * The waiting pull against the real server process (PROTOCOL §4 "Live",
 * docs/protocol.md "Live pull"): it answers at once when there is something
 * to send, holds the request while there is nothing, and answers as soon as
 * a colleague's push, a membership change or a revocation concerns the
 * device. Limits, hang-ups and shutdown release waits. Nothing here asserts
 * a duration: a wait that is held is seen in the server's own gauge, and a
 * wake-up that never comes fails the test by its timeout.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, signUp } from './support/accounts.ts';
import { call } from './support/http-client.ts';
import { pull, pullToEnd, until, waitingPulls } from './support/live.ts';
import { addMember, createOrganization, deleteEvent, insertEvent, pushApplied, rows } from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ env: { CLINICSYNC_MAX_WAITING_PULLS_PER_USER: '2' } });
});
afterAll(() => server.stop());

/** An organization with its admin and a clinician colleague whose device has pulled to the end. */
async function clinic() {
  const admin = await signUp(server.url);
  const colleague = await signUp(server.url);
  const org = await createOrganization(server.url, admin);
  const memberId = await addMember(server.url, admin, org.organizationId, colleague, 'clinician');
  const cursor = await pullToEnd(server.url, colleague);
  return { admin, colleague, org, memberId, cursor };
}

async function heldPulls(count: number): Promise<void> {
  await until(`the server holds ${count} waiting pull(s)`, async () => (await waitingPulls(server.url)) >= count);
}

describe('waiting pull', () => {
  it('answers at once when there are changes to send', async () => {
    const { colleague } = await clinic();
    const res = await pull(server.url, colleague, { wait: 55 });
    expect(res.status).toBe(200);
    expect(res.body.changes.length).toBeGreaterThan(0);
  }, 30_000);

  it("is held while nothing changes and answers with a colleague's push", async () => {
    const { admin, colleague, org, cursor } = await clinic();
    const before = await waitingPulls(server.url);
    const waiting = pull(server.url, colleague, { cursor, wait: 55 });
    await heldPulls(before + 1);

    const patientId = randomUUID();
    await pushApplied(server.url, admin, [insertEvent('patients', rows.patient(org.organizationId), patientId)]);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.changes.map((c) => c.recordId)).toEqual([patientId]);
    expect(res.body.hasMore).toBe(false);
  }, 20_000);

  it('answers the empty page with an unchanged position when the wait is up', async () => {
    const { admin, colleague, org, cursor } = await clinic();
    const res = await pull(server.url, colleague, { cursor, wait: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changes: [], hasMore: false, revokedOrganizations: [] });
    // Nothing was skipped: a change made now comes with the returned cursor.
    const patientId = randomUUID();
    await pushApplied(server.url, admin, [insertEvent('patients', rows.patient(org.organizationId), patientId)]);
    expect(
      (await pull(server.url, colleague, { cursor: res.body.cursor })).body.changes.map((c) => c.recordId),
    ).toEqual([patientId]);
  }, 20_000);

  it('refuses a waiting pull for another device than the token with 403, also from a cursor it just answered', async () => {
    const { colleague, cursor } = await clinic();
    const res = await pull(server.url, { ...colleague, deviceId: randomUUID() }, { cursor, wait: 1 });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'forbidden' } });
  }, 20_000);

  it('answers devices woken by one write with the very bytes and headers a plain pull from their cursor answers', async () => {
    const { admin, colleague, org, cursor } = await clinic();
    const adminCursor = await pullToEnd(server.url, admin);
    const raw = async (device: typeof admin, from: string, wait?: number) => {
      const query = new URLSearchParams({ deviceId: device.deviceId, schemaVersion: '1', cursor: from });
      if (wait) query.set('wait', String(wait));
      const res = await fetch(new URL(`/v1/sync/pull?${query}`, server.url), {
        headers: { authorization: `Bearer ${device.syncToken}` },
      });
      // Header names (their values hold a date and a request id), and the values of those that describe the body.
      const names = [...res.headers.keys()].sort();
      const described = ['content-type', 'content-length', 'cache-control'].map((name) => res.headers.get(name));
      return { status: res.status, names, described, body: await res.text() };
    };
    const before = await waitingPulls(server.url);
    const waits = [raw(colleague, cursor, 55), raw(admin, adminCursor, 55)];
    await heldPulls(before + 2);
    await pushApplied(server.url, admin, [
      insertEvent('patients', { ...rows.patient(org.organizationId), given_name: 'Zoë "Ω" 😀' }),
      insertEvent('patients', rows.patient(org.organizationId)),
    ]);
    const woken = await Promise.all(waits);
    const plain = await Promise.all([raw(colleague, cursor), raw(admin, adminCursor)]);
    expect(woken).toEqual(plain);
    expect(JSON.parse(woken[0]!.body).changes).toHaveLength(2);
    expect(woken[0]!.described[0]).toBe('application/json');
  }, 20_000);

  it('is not woken by changes of an organization the device does not belong to', async () => {
    const { colleague, cursor } = await clinic();
    const stranger = await signUp(server.url);
    const other = await createOrganization(server.url, stranger);
    const before = await waitingPulls(server.url);
    const waiting = pull(server.url, colleague, { cursor, wait: 2 });
    await heldPulls(before + 1);
    await pushApplied(server.url, stranger, [insertEvent('patients', rows.patient(other.organizationId))]);
    const res = await waiting;
    expect(res.body.changes).toEqual([]);
  }, 20_000);

  it('answers a removed member with the revoked organization', async () => {
    const { admin, colleague, org, memberId, cursor } = await clinic();
    const before = await waitingPulls(server.url);
    const waiting = pull(server.url, colleague, { cursor, wait: 55 });
    await heldPulls(before + 1);
    const version = (await pull(server.url, admin)).body.changes.find((c) => c.recordId === memberId)!.version;
    await pushApplied(server.url, admin, [deleteEvent('members', memberId, version)]);
    const res = await waiting;
    expect(res.body.revokedOrganizations).toEqual([org.organizationId]);
  }, 20_000);

  it('wakes a person who is added to an organization they were not waiting on', async () => {
    const admin = await signUp(server.url);
    const newcomer = await signUp(server.url);
    const org = await createOrganization(server.url, admin);
    const cursor = await pullToEnd(server.url, newcomer);
    const before = await waitingPulls(server.url);
    const waiting = pull(server.url, newcomer, { cursor, wait: 55 });
    await heldPulls(before + 1);
    await addMember(server.url, admin, org.organizationId, newcomer, 'receptionist');
    const res = await waiting;
    expect(res.body.changes.some((c) => c.table === 'organizations' && c.recordId === org.organizationId)).toBe(true);
  }, 20_000);

  it('answers a device revoked while it waited with 401 at once, not at its timeout', async () => {
    const { colleague, cursor } = await clinic();
    const before = await waitingPulls(server.url);
    const waiting = pull(server.url, colleague, { cursor, wait: 55 });
    await heldPulls(before + 1);
    const revoked = await call(server.url, 'DELETE', `/v1/devices/${colleague.deviceId}`, {
      token: colleague.authToken,
    });
    expect(revoked.status).toBe(200);
    const res = await waiting;
    expect(res.status).toBe(401);
    expect((res.body as any).error.code).toBe('token_revoked');
  }, 20_000);

  it('answers a device an organization admin revoked while it waited with 401 at once', async () => {
    const { admin, colleague, org, cursor } = await clinic();
    const before = await waitingPulls(server.url);
    const waiting = pull(server.url, colleague, { cursor, wait: 55 });
    await heldPulls(before + 1);
    const revoked = await call(server.url, 'DELETE', `/v1/orgs/${org.organizationId}/devices/${colleague.deviceId}`, {
      token: admin.authToken,
    });
    expect(revoked.status).toBe(200);
    const res = await waiting;
    expect(res.status).toBe(401);
    expect((res.body as any).error.code).toBe('token_revoked');
  }, 20_000);

  it('ends the older wait of a device that waits again', async () => {
    const { colleague, cursor } = await clinic();
    const before = await waitingPulls(server.url);
    const older = pull(server.url, colleague, { cursor, wait: 55 });
    await heldPulls(before + 1);
    const newer = pull(server.url, colleague, { cursor, wait: 1 });
    const res = await older;
    expect(res.status).toBe(200);
    expect(res.body.changes).toEqual([]);
    expect((await newer).status).toBe(200);
  }, 20_000);

  it("refuses a person's waits beyond the limit with 429 and Retry-After, and pulls without waiting still work", async () => {
    const { colleague } = await clinic();
    const [one, two, three] = await Promise.all(
      [0, 1, 2].map(async () => {
        const deviceId = randomUUID();
        const signed = await signIn(server.url, { email: colleague.email, password: colleague.password, deviceId });
        return { userId: colleague.userId, deviceId, syncToken: signed.syncToken };
      }),
    );
    const cursors = await Promise.all([one!, two!, three!].map((d) => pullToEnd(server.url, d)));
    const before = await waitingPulls(server.url);
    const held = [
      pull(server.url, one!, { cursor: cursors[0], wait: 3 }),
      pull(server.url, two!, { cursor: cursors[1], wait: 3 }),
    ];
    await heldPulls(before + 2);
    const refused = await pull(server.url, three!, { cursor: cursors[2], wait: 3 });
    expect(refused.status).toBe(429);
    expect((refused.body as any).error).toMatchObject({
      code: 'rate_limited',
      details: { reason: 'too_many_waiting_pulls', limit: 'user' },
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await pull(server.url, three!, { cursor: cursors[2] })).status).toBe(200);
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
  }, 30_000);

  it('forgets a wait whose client hung up', async () => {
    const { colleague, cursor } = await clinic();
    const before = await waitingPulls(server.url);
    const abort = new AbortController();
    const query = new URLSearchParams({ deviceId: colleague.deviceId, schemaVersion: '1', cursor, wait: '55' });
    const hanging = fetch(new URL(`/v1/sync/pull?${query}`, server.url), {
      headers: { authorization: `Bearer ${colleague.syncToken}` },
      signal: abort.signal,
    }).catch(() => 'aborted');
    await heldPulls(before + 1);
    abort.abort();
    expect(await hanging).toBe('aborted');
    await until('the server let go of the abandoned wait', async () => (await waitingPulls(server.url)) === before);
  }, 20_000);

  it.each([['56'], ['-1'], ['soon'], ['1.5']])('refuses wait=%s as an invalid request', async (wait) => {
    const { colleague } = await clinic();
    const res = await pull(server.url, colleague, { wait });
    expect(res.status).toBe(400);
    expect((res.body as any).error.code).toBe('invalid_request');
  });
});

describe('waiting pull at shutdown', () => {
  it('answers held pulls when the server stops, and exits cleanly', async () => {
    const own = await startServerProcess();
    const admin = await signUp(own.url);
    await createOrganization(own.url, admin);
    const cursor = await pullToEnd(own.url, admin);
    const waiting = pull(own.url, admin, { cursor, wait: 55 });
    await until('the server holds the waiting pull', async () => (await waitingPulls(own.url)) === 1);
    const exited = new Promise<number | null>((done) => own.child.once('exit', (code) => done(code)));
    own.child.kill('SIGTERM');
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.changes).toEqual([]);
    expect(await exited).toBe(0);
    // It starts a server of its own, which takes most of this on a busy machine.
  }, 60_000);
});
