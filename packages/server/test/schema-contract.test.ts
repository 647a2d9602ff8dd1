/**
 * Black-box schema contract (PROTOCOL §5, docs/schema-migrations.md) against
 * real server processes: `GET /v1/sync/schema`, the operator's oldest served
 * version (CLINICSYNC_MIN_SCHEMA_VERSION), and the translation both ways
 * between a version 1 and a version 2 client of one server.
 */
import { SCHEMA_VERSION } from '@clinicsync/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config-from-env.ts';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { call } from './support/http-client.ts';
import {
  addMember,
  createOrganization,
  deleteEvent,
  insertEvent,
  push,
  pushResults,
  rows,
  updateEvent,
  type CreatedOrganization,
  type PushEvent,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

type Change = {
  table: string;
  recordId: string;
  op: 'UPSERT' | 'DELETE';
  version: number;
  data: Record<string, unknown> | null;
};

let server: ServerProcess;
let admin: SignedUpUser;
let colleague: SignedUpUser;
let org: CreatedOrganization;

beforeAll(async () => {
  server = await startServerProcess();
  [admin, colleague] = await Promise.all([
    signUp(server.url, { name: 'Admin' }),
    signUp(server.url, { name: 'Colleague' }),
  ]);
  org = await createOrganization(server.url, admin);
  await addMember(server.url, admin, org.organizationId, colleague, 'receptionist');
});
afterAll(() => server?.stop());

async function pullAt(base: string, user: SignedUpUser, schemaVersion: number) {
  return call<{ changes: Change[]; cursor: string; hasMore: boolean }>(
    base,
    'GET',
    `/v1/sync/pull?deviceId=${user.deviceId}&schemaVersion=${schemaVersion}`,
    {
      token: user.syncToken,
    },
  );
}

/** The record as a full pull at `schemaVersion` shows it. */
async function seenAt(user: SignedUpUser, schemaVersion: number, recordId: string): Promise<Change> {
  const res = await pullAt(server.url, user, schemaVersion);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const change = res.body.changes.find((c) => c.recordId === recordId);
  expect(change, recordId).toBeDefined();
  return change!;
}

async function applied(user: SignedUpUser, events: PushEvent[], schemaVersion: number): Promise<number[]> {
  const results = await pushResults(server.url, user, events, { schemaVersion });
  return results.map((r) => {
    expect(r, JSON.stringify(r)).toMatchObject({ status: 'applied' });
    return (r as { version: number }).version;
  });
}

async function newAppointment(extra: Record<string, unknown>, schemaVersion: number): Promise<string> {
  const patient = insertEvent('patients', rows.patient(org.organizationId));
  const appointment = insertEvent('appointments', rows.appointment(org.teamId, patient.recordId, extra));
  await applied(admin, [patient, appointment], schemaVersion);
  return appointment.recordId;
}

describe('GET /v1/sync/schema', () => {
  it('states the current version, the oldest served one and the appointment kind of version 2', async () => {
    const res = await call<any>(server.url, 'GET', '/v1/sync/schema');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ current: SCHEMA_VERSION, minSupported: 1 });
    expect(SCHEMA_VERSION).toBe(3);
    expect(res.body.tables.appointments.columns.kind).toMatchObject({ type: 'enum', required: false, since: 2 });
    expect(res.body.tables.appointments.columns.reason).toMatchObject({ since: 1 });
  });
});

describe('a version 1 and a version 2 client of one server', () => {
  it('a version 2 INSERT stores the kind; a version 1 pull leaves it out and a version 2 pull carries it', async () => {
    const id = await newAppointment({ kind: 'vaccination' }, 2);
    const v1 = await seenAt(colleague, 1, id);
    expect(v1.data).not.toHaveProperty('kind');
    expect(v1.data).toMatchObject({ status: 'booked', duration_min: 20 });
    expect((await seenAt(colleague, 2, id)).data).toMatchObject({ kind: 'vaccination', status: 'booked' });
  });

  it('a version 1 INSERT stores kind as null', async () => {
    const id = await newAppointment({ reason: 'Cough' }, 1);
    expect((await seenAt(colleague, 2, id)).data).toMatchObject({ reason: 'Cough', kind: null });
  });

  it('a version 1 client cannot send kind: unknown_field', async () => {
    const id = await newAppointment({}, 2);
    const [result] = await pushResults(server.url, colleague, [updateEvent('appointments', id, 1, { kind: 'other' })], {
      schemaVersion: 1,
    });
    expect(result).toMatchObject({ status: 'rejected', code: 'unknown_field' });
    const patient = insertEvent('patients', rows.patient(org.organizationId));
    const [, insert] = await pushResults(
      server.url,
      admin,
      [patient, insertEvent('appointments', rows.appointment(org.teamId, patient.recordId, { kind: 'other' }))],
      {
        schemaVersion: 1,
      },
    );
    expect(insert).toMatchObject({ status: 'rejected', code: 'unknown_field' });
  });

  it('an UPDATE from a version 1 client leaves the kind untouched, also when it merges over a newer kind', async () => {
    const id = await newAppointment({ kind: 'antenatal' }, 2);
    const [v2] = await applied(
      colleague,
      [updateEvent('appointments', id, 1, { status: 'arrived', reason: 'Week 20 check' })],
      1,
    );
    expect((await seenAt(admin, 2, id)).data).toMatchObject({
      kind: 'antenatal',
      status: 'arrived',
      reason: 'Week 20 check',
    });

    // The version 2 client changes the kind; the version 1 client, still at the old version, edits the reason.
    await applied(admin, [updateEvent('appointments', id, v2!, { kind: 'procedure' })], 2);
    const [merged] = await applied(colleague, [updateEvent('appointments', id, v2!, { reason: 'Week 20 scan' })], 1);
    const after = await seenAt(admin, 2, id);
    expect(after).toMatchObject({
      version: merged,
      data: { kind: 'procedure', reason: 'Week 20 scan', status: 'arrived' },
    });
  });

  it('a conflict shows a version 1 client the server row without kind, and no kind among its fields', async () => {
    const id = await newAppointment({ kind: 'consultation' }, 2);
    await applied(admin, [updateEvent('appointments', id, 1, { kind: 'follow_up' })], 2);
    // A stale DELETE clashes with the kind changed since; the version 1 client cannot be told about a field it does not know.
    const [result] = await pushResults(server.url, colleague, [deleteEvent('appointments', id, 1)], {
      schemaVersion: 1,
    });
    expect(result).toMatchObject({ status: 'conflict', serverVersion: 2, fields: [] });
    const record = (result as { serverRecord: Record<string, unknown> }).serverRecord;
    expect(record).toMatchObject({ id, version: 2, status: 'booked' });
    expect(record).not.toHaveProperty('kind');

    const [mine] = await pushResults(server.url, admin, [deleteEvent('appointments', id, 1)], { schemaVersion: 2 });
    expect(mine).toMatchObject({ status: 'conflict', fields: ['kind'], serverRecord: { kind: 'follow_up' } });
  });

  it('refuses a pull or push of a schema version newer than the server', async () => {
    expect((await pullAt(server.url, colleague, SCHEMA_VERSION + 1)).body).toMatchObject({
      error: { code: 'invalid_request' },
    });
    expect((await push(server.url, colleague, [], { schemaVersion: SCHEMA_VERSION + 1 })).status).toBe(400);
  });
});

describe('an operator retiring version 1 clients (CLINICSYNC_MIN_SCHEMA_VERSION=2)', () => {
  let strict: ServerProcess;
  let user: SignedUpUser;
  beforeAll(async () => {
    strict = await startServerProcess({ env: { CLINICSYNC_MIN_SCHEMA_VERSION: '2' } });
    user = await signUp(strict.url);
  });
  afterAll(() => strict?.stop());

  it('says so in GET /v1/sync/schema', async () => {
    expect((await call<any>(strict.url, 'GET', '/v1/sync/schema')).body).toMatchObject({
      current: SCHEMA_VERSION,
      minSupported: 2,
    });
  });

  it('answers a version 1 push and pull with 426 schema_upgrade_required and stores nothing', async () => {
    const bootstrap = createOrganizationEvents(user);
    const pushed = await push(strict.url, user, bootstrap, { schemaVersion: 1 });
    expect(pushed.status).toBe(426);
    expect(pushed.body).toMatchObject({
      error: { code: 'schema_upgrade_required', details: { minSupported: 2, current: SCHEMA_VERSION } },
    });
    const pulled = await pullAt(strict.url, user, 1);
    expect(pulled.status).toBe(426);
    expect(pulled.body).toMatchObject({ error: { code: 'schema_upgrade_required', details: { minSupported: 2 } } });

    // The same events from the upgraded client go through: nothing was half-applied.
    const results = await pushResults(strict.url, user, bootstrap, { schemaVersion: 2 });
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  });

  it('refuses a setting no client could meet, naming the variable', () => {
    expect(configFromEnv({ CLINICSYNC_MIN_SCHEMA_VERSION: '2' })).toEqual({ minSupportedSchemaVersion: 2 });
    for (const value of ['0', String(SCHEMA_VERSION + 1), 'two', '1.5']) {
      expect(() => configFromEnv({ CLINICSYNC_MIN_SCHEMA_VERSION: value })).toThrow(
        'invalid CLINICSYNC_MIN_SCHEMA_VERSION',
      );
    }
  });

  it('does not start with such a setting', async () => {
    await expect(
      startServerProcess({ env: { CLINICSYNC_MIN_SCHEMA_VERSION: String(SCHEMA_VERSION + 1) } }),
    ).rejects.toThrow(/invalid CLINICSYNC_MIN_SCHEMA_VERSION/);
  });
});

function createOrganizationEvents(user: SignedUpUser): PushEvent[] {
  const organization = insertEvent('organizations', { name: 'Hilltop Clinic' });
  return [
    organization,
    insertEvent('members', { organization_id: organization.recordId, user_id: user.userId, role: 'admin' }),
    insertEvent('teams', { organization_id: organization.recordId, name: 'Maternity' }),
  ];
}
