/**
 * Black-box pull (PROTOCOL §4, §5) against the real server process: what a
 * device of one member sees of what others push, and what it never sees.
 */
import { MIN_SUPPORTED_SCHEMA_VERSION, SCHEMA_VERSION } from '@clinicsync/protocol';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, signUp, type SignedUpUser } from './support/accounts.ts';
import { call } from './support/http-client.ts';
import {
  addMember,
  createOrganization,
  deleteEvent,
  insertEvent,
  pushApplied,
  rows,
  updateEvent,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

type Change = {
  table: string;
  recordId: string;
  op: 'UPSERT' | 'DELETE';
  version: number;
  organizationId: string;
  data: Record<string, any> | null;
};
type PullAnswer = { changes: Change[]; cursor: string; hasMore: boolean; revokedOrganizations: string[] };

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(() => server.stop());

async function pull(user: SignedUpUser, query: { cursor?: string; limit?: number } = {}): Promise<PullAnswer> {
  const params = new URLSearchParams({ deviceId: user.deviceId, schemaVersion: '1' });
  if (query.cursor) params.set('cursor', query.cursor);
  if (query.limit) params.set('limit', String(query.limit));
  const res = await call<PullAnswer>(server.url, 'GET', `/v1/sync/pull?${params}`, { token: user.syncToken });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Pulls until `hasMore` is false, returning every change and the final cursor. */
async function pullAll(
  user: SignedUpUser,
  cursor?: string,
  limit?: number,
): Promise<{ changes: Change[]; cursor: string; revoked: string[] }> {
  const changes: Change[] = [];
  const revoked: string[] = [];
  for (let page = 0; page < 1000; page++) {
    const res = await pull(user, { ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) });
    if (limit) expect(res.changes.length).toBeLessThanOrEqual(limit);
    changes.push(...res.changes);
    revoked.push(...res.revokedOrganizations);
    cursor = res.cursor;
    if (!res.hasMore) return { changes, cursor, revoked };
  }
  throw new Error('pull never finished');
}

type Organization = { id: string; admin: SignedUpUser };

async function newOrganization(admin: SignedUpUser): Promise<Organization> {
  return { id: (await createOrganization(server.url, admin)).organizationId, admin };
}

/** Adds `user` as a clinician; returns the membership id (version 1). */
async function join(org: Organization, user: SignedUpUser): Promise<string> {
  return addMember(server.url, org.admin, org.id, user, 'clinician');
}

async function insertPatient(user: SignedUpUser, org: Organization, givenName: string): Promise<string> {
  const event = insertEvent('patients', rows.patient(org.id, { given_name: givenName }));
  await pushApplied(server.url, user, [event]);
  return event.recordId;
}

const ids = (changes: readonly Change[]) => changes.map((c) => c.recordId);

describe('GET /v1/sync/schema', () => {
  it('is public and describes the registry', async () => {
    const res = await call(server.url, 'GET', '/v1/sync/schema');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ current: SCHEMA_VERSION, minSupported: MIN_SUPPORTED_SCHEMA_VERSION });
    expect(Object.keys(res.body.tables)).toEqual([
      'organizations',
      'teams',
      'members',
      'patients',
      'appointments',
      'vitals',
      'medications',
    ]);
    expect(res.body.tables.patients.columns.given_name).toMatchObject({ type: 'text', required: true, maxLength: 200 });
    expect(res.body.tables.appointments.scope).toEqual({ kind: 'parent', column: 'team_id', parent: 'teams' });
  });
});

describe('GET /v1/sync/pull', () => {
  let admin: SignedUpUser;
  let clinician: SignedUpUser;
  let org: Organization;
  beforeAll(async () => {
    [admin, clinician] = await Promise.all([signUp(server.url), signUp(server.url)]);
    org = await newOrganization(admin);
    await join(org, clinician);
  });

  it("lets a second member's device see the first member's changes", async () => {
    const start = await pullAll(clinician);
    const patientId = await insertPatient(admin, org, 'Amara');
    const next = await pullAll(clinician, start.cursor);
    expect(next.changes).toEqual([
      {
        table: 'patients',
        recordId: patientId,
        op: 'UPSERT',
        version: 1,
        organizationId: org.id,
        data: expect.objectContaining({
          organization_id: org.id,
          given_name: 'Amara',
          family_name: 'Okafor',
          updated_by: admin.userId,
        }),
      },
    ]);
  });

  it('sends a delete as DELETE with no data', async () => {
    const patientId = await insertPatient(admin, org, 'Temporary');
    const before = await pullAll(clinician);
    await pushApplied(server.url, admin, [deleteEvent('patients', patientId, 1)]);
    const after = await pullAll(clinician, before.cursor);
    expect(after.changes).toEqual([
      { table: 'patients', recordId: patientId, op: 'DELETE', version: 2, organizationId: org.id, data: null },
    ]);
  });

  it('gives a new member the full history of the organization, and their other organizations keep their place', async () => {
    const newcomer = await signUp(server.url);
    const own = await newOrganization(newcomer);
    const first = await pullAll(newcomer);
    expect(new Set(first.changes.map((c) => c.organizationId))).toEqual(new Set([own.id]));
    await join(org, newcomer);
    const joined = await pullAll(newcomer, first.cursor);
    const everything = await pullAll(admin);
    const ofOrg = everything.changes.filter((c) => c.organizationId === org.id);
    expect(ofOrg.length).toBeGreaterThan(3);
    expect(new Set(ids(joined.changes))).toEqual(new Set(ids(ofOrg)));
    expect(joined.changes.every((c) => c.organizationId === org.id)).toBe(true);
    expect(joined.changes.find((c) => c.table === 'organizations')).toMatchObject({ recordId: org.id, op: 'UPSERT' });
  });

  it('tells a removed member once, and sends none of the organization rows after that', async () => {
    const leaver = await signUp(server.url);
    const membership = await join(org, leaver);
    const member = await pullAll(leaver);
    expect(member.changes.length).toBeGreaterThan(0);
    await pushApplied(server.url, admin, [deleteEvent('members', membership, 1)]);
    const secret = await insertPatient(admin, org, 'AfterRemoval');

    const removed = await pull(leaver, { cursor: member.cursor });
    expect(removed.revokedOrganizations).toEqual([org.id]);
    expect(removed.changes).toEqual([]);
    // The answer may be lost: the old cursor reports it again.
    expect((await pull(leaver, { cursor: member.cursor })).revokedOrganizations).toEqual([org.id]);
    const later = await pullAll(leaver, removed.cursor);
    expect(later).toMatchObject({ changes: [], revoked: [] });
    const fresh = await pullAll(leaver);
    expect(ids(fresh.changes)).not.toContain(secret);
    expect(fresh.changes).toEqual([]);
  });

  it('never shows a row of another organization, whatever cursor is presented', async () => {
    const outsider = await signUp(server.url);
    const theirs = await newOrganization(outsider);
    const theirPatient = await insertPatient(outsider, theirs, 'Private');
    const outsiderCursor = (await pullAll(outsider)).cursor;
    const clinicianCursor = (await pullAll(clinician)).cursor;

    const mine = await pullAll(clinician);
    expect(mine.changes.every((c) => c.organizationId === org.id)).toBe(true);
    expect(ids(mine.changes)).not.toContain(theirPatient);

    // A cursor the server signed, but for another user (and their organization).
    const stolen = await call(
      server.url,
      'GET',
      `/v1/sync/pull?deviceId=${clinician.deviceId}&schemaVersion=1&cursor=${outsiderCursor}`,
      { token: clinician.syncToken },
    );
    expect(stolen.status).toBe(410);
    expect(stolen.body.error.code).toBe('cursor_invalid');
    expect(JSON.stringify(stolen.body)).not.toContain(theirs.id);

    // The same user's cursor on another of their devices is foreign too.
    const laptop = randomUUID();
    const second = await signIn(server.url, { email: clinician.email, password: clinician.password, deviceId: laptop });
    const moved = await call(
      server.url,
      'GET',
      `/v1/sync/pull?deviceId=${laptop}&schemaVersion=1&cursor=${clinicianCursor}`,
      { token: second.syncToken },
    );
    expect(moved.status).toBe(410);
    expect(moved.body.error.code).toBe('cursor_invalid');
  });

  it('refuses a tampered cursor with 410 cursor_invalid', async () => {
    const { cursor } = await pullAll(clinician);
    const [prefix, payload, mac] = cursor.split('.');
    const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    decoded.p = decoded.p.map(([o, m]: [string, string]) => [o, m, 0]);
    const tampered = `${prefix}.${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${mac}`;
    for (const bad of [tampered, `${cursor.slice(0, -1)}${cursor.endsWith('A') ? 'B' : 'A'}`, 'not-a-cursor']) {
      const res = await call(
        server.url,
        'GET',
        `/v1/sync/pull?deviceId=${clinician.deviceId}&schemaVersion=1&cursor=${encodeURIComponent(bad)}`,
        {
          token: clinician.syncToken,
        },
      );
      expect(res.status, bad).toBe(410);
      expect(res.body.error.code).toBe('cursor_invalid');
    }
  });

  it('pages with limits 1, 2 and 7: every record exactly once at its latest version; a record changed ten times comes once', async () => {
    const writer = await signUp(server.url);
    const paged = await newOrganization(writer);
    const reader = await signUp(server.url);
    const patients: string[] = [];
    for (let i = 0; i < 9; i++) patients.push(await insertPatient(writer, paged, `P${i}`));
    let version = 1;
    for (let i = 0; i < 10; i++)
      [version] = (await pushApplied(server.url, writer, [
        updateEvent('patients', patients[0]!, version, { phone: `+1 555 01${i}` }),
      ])) as [number];
    await pushApplied(server.url, writer, [deleteEvent('patients', patients[1]!, 1)]);
    await join(paged, reader);

    const expected = await pullAll(writer);
    expect(expected.changes.find((c) => c.recordId === patients[0])).toMatchObject({
      version: 11,
      data: expect.objectContaining({ phone: '+1 555 019' }),
    });
    for (const limit of [1, 2, 7]) {
      const { changes } = await pullAll(reader, undefined, limit);
      const keys = changes.map((c) => `${c.table}/${c.recordId}@${c.version}`);
      expect(new Set(keys).size, `limit ${limit}`).toBe(keys.length);
      expect(keys.sort()).toEqual(expected.changes.map((c) => `${c.table}/${c.recordId}@${c.version}`).sort());
      expect(changes.filter((c) => c.recordId === patients[0])).toHaveLength(1);
      expect(changes.find((c) => c.recordId === patients[1])).toMatchObject({ op: 'DELETE', version: 2, data: null });
    }
  });

  it('refuses a deviceId that is not the token device, and an auth token', async () => {
    const wrongDevice = await call(server.url, 'GET', `/v1/sync/pull?deviceId=${randomUUID()}&schemaVersion=1`, {
      token: clinician.syncToken,
    });
    expect(wrongDevice.status).toBe(403);
    expect(wrongDevice.body.error.code).toBe('forbidden');
    const authToken = await call(server.url, 'GET', `/v1/sync/pull?deviceId=${clinician.deviceId}&schemaVersion=1`, {
      token: clinician.authToken,
    });
    expect(authToken.status).toBe(403);
    expect(authToken.body.error.code).toBe('wrong_token_kind');
    const none = await call(server.url, 'GET', `/v1/sync/pull?deviceId=${clinician.deviceId}&schemaVersion=1`);
    expect(none.status).toBe(401);
  });

  it('answers schema versions exactly as push does: below the minimum 426, above the current 400', async () => {
    const answers = async (schemaVersion: string) => {
      const pulled = await call(
        server.url,
        'GET',
        `/v1/sync/pull?${new URLSearchParams({ deviceId: clinician.deviceId, schemaVersion })}`,
        { token: clinician.syncToken },
      );
      const pushed = await call(server.url, 'POST', '/v1/sync/push', {
        token: clinician.syncToken,
        body: { deviceId: clinician.deviceId, schemaVersion: Number(schemaVersion), events: [] },
      });
      return { pulled: [pulled.status, pulled.body.error], pushed: [pushed.status, pushed.body.error] };
    };
    for (const below of ['0', '-3', String(MIN_SUPPORTED_SCHEMA_VERSION - 1)]) {
      const { pulled, pushed } = await answers(below);
      expect(pulled, below).toEqual(pushed);
      expect(pulled[0], below).toBe(426);
      expect(pulled[1], below).toMatchObject({
        code: 'schema_upgrade_required',
        details: { minSupported: MIN_SUPPORTED_SCHEMA_VERSION, current: SCHEMA_VERSION },
      });
    }
    const { pulled, pushed } = await answers(String(SCHEMA_VERSION + 1));
    expect(pulled).toEqual(pushed);
    expect(pulled[0]).toBe(400);
    expect(pulled[1]).toMatchObject({
      code: 'invalid_request',
      details: { issues: [{ path: 'schemaVersion', code: 'too_big' }] },
    });
  });

  it('validates the query: limit at most 5000, schemaVersion required', async () => {
    const tooMany = await call(
      server.url,
      'GET',
      `/v1/sync/pull?deviceId=${clinician.deviceId}&schemaVersion=1&limit=5001`,
      { token: clinician.syncToken },
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({
      code: 'invalid_request',
      details: { issues: [{ path: 'limit', code: 'too_big' }] },
    });
    const noVersion = await call(server.url, 'GET', `/v1/sync/pull?deviceId=${clinician.deviceId}`, {
      token: clinician.syncToken,
    });
    expect(noVersion.status).toBe(400);
    const max = await call(
      server.url,
      'GET',
      `/v1/sync/pull?deviceId=${clinician.deviceId}&schemaVersion=1&limit=5000`,
      { token: clinician.syncToken },
    );
    expect(max.status).toBe(200);
  });
});
