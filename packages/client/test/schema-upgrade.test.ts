/**
 * Black-box schema contract (PROTOCOL §5) with sync engines of two schema
 * versions against the real `clinicsync-server`: an older supported client
 * keeps syncing and never erases what it does not know; a client the
 * operator has retired keeps everything queued and, once upgraded, sends it.
 */
import { columnsAtVersion, SCHEMA_VERSION, type TableName } from '@clinicsync/protocol';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signIn, signUp, type SignedUpUser } from '../../server/test/support/accounts.ts';
import { call } from '../../server/test/support/http-client.ts';
import { addMember } from '../../server/test/support/orgs.ts';
import { startServerProcess, type ServerProcess } from '../../server/test/support/server-process.ts';
import { LocalValidationError, openSyncEngine, type SyncEngine, type SyncEngineOptions } from '../src/index.ts';
import { openBetterSqlite3 } from '../src/store/better-sqlite3-database.ts';
import { migrateLocalStore } from '../src/store/local-schema.ts';
import { readState, writeState } from '../src/store/sync-state.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

type Change = {
  table: string;
  recordId: string;
  op: 'UPSERT' | 'DELETE';
  version: number;
  data: Record<string, unknown> | null;
};

const engines: SyncEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

async function open(
  server: ServerProcess,
  user: SignedUpUser,
  options: Partial<SyncEngineOptions> = {},
): Promise<SyncEngine> {
  const engine = await openSyncEngine({
    dbPath: ':memory:',
    serverUrl: server.url,
    deviceId: user.deviceId,
    getSyncToken: () => user.syncToken,
    ...options,
  });
  engines.push(engine);
  return engine;
}

async function close(engine: SyncEngine): Promise<void> {
  engines.splice(engines.indexOf(engine), 1);
  await engine.close();
}

function createOrganizationOn(engine: SyncEngine, admin: SignedUpUser) {
  const org = engine.insert('organizations', { name: 'Riverside Clinic' });
  engine.insert('members', { organization_id: org.id, user_id: admin.userId, role: 'admin' });
  const team = engine.insert('teams', { organization_id: org.id, name: 'Outpatients' });
  return { organizationId: org.id, teamId: team.id };
}

function booking(teamId: string, patientId: string, extra: Record<string, unknown> = {}) {
  return {
    team_id: teamId,
    patient_id: patientId,
    starts_at: '2026-03-02T09:00:00Z',
    duration_min: 20,
    status: 'booked',
    ...extra,
  };
}

/** The server's rows of `table` as a full pull at `schemaVersion` shows them to `user`, in the shape of a local `Row`. */
async function serverRows(
  server: ServerProcess,
  user: SignedUpUser,
  table: TableName,
  schemaVersion: number,
): Promise<Record<string, unknown>[]> {
  const res = await call<{ changes: Change[]; hasMore: boolean }>(
    server.url,
    'GET',
    `/v1/sync/pull?deviceId=${user.deviceId}&schemaVersion=${schemaVersion}&limit=5000`,
    {
      token: user.syncToken,
    },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.hasMore).toBe(false);
  return res.body.changes
    .filter((c) => c.table === table && c.op === 'UPSERT')
    .map((c) => ({
      id: c.recordId,
      version: c.version,
      updated_by: c.data!.updated_by,
      ...pick(c.data!, table, schemaVersion),
    }))
    .sort(byId);
}

/** The engine's live rows of `table` in the same shape. */
function localRows(engine: SyncEngine, table: TableName, schemaVersion: number): Record<string, unknown>[] {
  return engine
    .list(table)
    .map((row) => ({
      id: row.id,
      version: row.version,
      updated_by: row.updated_by,
      ...pick(row, table, schemaVersion),
    }))
    .sort(byId);
}

function pick(
  data: Readonly<Record<string, unknown>>,
  table: TableName,
  schemaVersion: number,
): Record<string, unknown> {
  return Object.fromEntries(columnsAtVersion(table, schemaVersion).map(([column]) => [column, data[column] ?? null]));
}

function byId(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return String(a.id).localeCompare(String(b.id));
}

describe('a version 1 and a version 2 client syncing through one server', () => {
  let server: ServerProcess;
  let alice: SignedUpUser;
  let bob: SignedUpUser;
  beforeAll(async () => {
    server = await startServerProcess();
    [alice, bob] = await Promise.all([signUp(server.url, { name: 'Alice' }), signUp(server.url, { name: 'Bob' })]);
  });
  afterAll(() => server?.stop());

  it('converge: the kind set on version 2 survives every edit from version 1, and both stores equal the server as their version sees it', async () => {
    const a = await open(server, alice);
    const b = await open(server, bob, { schemaVersion: 1 });
    const { organizationId, teamId } = createOrganizationOn(a, alice);
    await a.syncNow();
    await addMember(server.url, alice, organizationId, bob, 'receptionist', teamId);
    const patient = a.insert('patients', {
      organization_id: organizationId,
      given_name: 'Amina',
      family_name: 'Okafor',
    });
    const visit = a.insert('appointments', booking(teamId, patient.id, { kind: 'vaccination', reason: 'Second dose' }));
    await a.syncNow();

    await b.syncNow();
    const seenByB = b.get('appointments', visit.id);
    expect(seenByB).toMatchObject({ reason: 'Second dose', status: 'booked', version: 1 });
    expect(seenByB).not.toHaveProperty('kind');
    expect(() => b.update('appointments', visit.id, { kind: 'other' })).toThrow(LocalValidationError);

    // The version 1 client edits status and reason of the same appointment: kind survives.
    b.update('appointments', visit.id, { status: 'arrived', reason: 'Second dose, arm sore' });
    await b.syncNow();
    await a.syncNow();
    expect(a.get('appointments', visit.id)).toMatchObject({
      kind: 'vaccination',
      status: 'arrived',
      reason: 'Second dose, arm sore',
      version: 2,
    });

    // Concurrent edits: version 2 changes the kind while version 1 edits the reason on the older version; they merge.
    a.update('appointments', visit.id, { kind: 'follow_up' });
    b.update('appointments', visit.id, { reason: 'Check the arm' });
    await a.syncNow();
    await b.syncNow();
    await a.syncNow();
    await b.syncNow();
    expect(b.conflicts()).toEqual([]);
    expect(a.get('appointments', visit.id)).toMatchObject({
      kind: 'follow_up',
      reason: 'Check the arm',
      status: 'arrived',
      version: 4,
    });
    expect(b.get('appointments', visit.id)).toMatchObject({ reason: 'Check the arm', status: 'arrived', version: 4 });

    // An appointment booked on version 1 has no kind; version 2 may set it later.
    const booked = b.insert('appointments', booking(teamId, patient.id, { reason: 'Fever' }));
    await b.syncNow();
    await a.syncNow();
    expect(a.get('appointments', booked.id)).toMatchObject({ reason: 'Fever', kind: null, version: 1 });
    a.update('appointments', booked.id, { kind: 'consultation' });
    await a.syncNow();
    await b.syncNow();

    for (const table of ['patients', 'appointments'] as const) {
      expect(localRows(a, table, 2)).toEqual(await serverRows(server, alice, table, 2));
      expect(localRows(b, table, 1)).toEqual(await serverRows(server, bob, table, 1));
    }
    expect(localRows(a, 'appointments', 2).map((r) => r.kind)).toEqual(
      [visit.id, booked.id].sort().map((id) => (id === visit.id ? 'follow_up' : 'consultation')),
    );
    for (const engine of [a, b])
      expect(engine.status()).toMatchObject({ phase: 'idle', pending: 0, openConflicts: 0, deadLetters: 0 });
  });

  it('a store upgraded in place whose cursor is of version 1 gets 410 from the server, resyncs and receives the kinds, keeping its edit', async () => {
    const carol = await signUp(server.url, { name: 'Carol' });
    const dbPath = join(tempDir('schema'), 'store.sqlite');
    const a = await open(server, alice);
    const { organizationId, teamId } = createOrganizationOn(a, alice);
    await a.syncNow();
    await addMember(server.url, alice, organizationId, carol, 'clinician');
    const patient = a.insert('patients', {
      organization_id: organizationId,
      given_name: 'Kofi',
      family_name: 'Boateng',
    });
    const first = a.insert('appointments', booking(teamId, patient.id, { kind: 'antenatal' }));
    const second = a.insert('appointments', booking(teamId, patient.id, { kind: 'procedure' }));
    await a.syncNow();

    const old = await open(server, carol, { dbPath, schemaVersion: 1 });
    await old.syncNow();
    old.update('appointments', first.id, { reason: 'Week 30' });
    await close(old);

    // A store whose columns and recorded version were brought to 2 but whose cursor is still of version 1.
    const raw = openBetterSqlite3(dbPath);
    migrateLocalStore(raw, 2);
    writeState(raw, 'schema_version', '2');
    const cursor = readState(raw, 'cursor');
    raw.close();
    expect(cursor).not.toBeNull();

    const pulls: number[] = [];
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).includes('/v1/sync/pull')) pulls.push(res.status);
      return res;
    };
    const upgraded = await open(server, carol, { dbPath, fetch: recording, schemaVersion: 2 });
    expect(upgraded.status().pending).toBe(1);
    await upgraded.syncNow();
    expect(pulls[0]).toBe(410);
    expect(pulls.at(-1)).toBe(200);
    expect(upgraded.status()).toMatchObject({ phase: 'idle', pending: 0, deadLetters: 0, openConflicts: 0 });
    expect(upgraded.get('appointments', first.id)).toMatchObject({ kind: 'antenatal', reason: 'Week 30' });
    expect(upgraded.get('appointments', second.id)).toMatchObject({ kind: 'procedure' });
    expect(localRows(upgraded, 'appointments', 2)).toEqual(await serverRows(server, carol, 'appointments', 2));
  });
});

describe('a client older than the server serves (CLINICSYNC_MIN_SCHEMA_VERSION=2)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ env: { CLINICSYNC_MIN_SCHEMA_VERSION: '2' } });
  });
  afterAll(() => server?.stop());

  it('gets 426, keeps its outbox and rows, tells the user; after upgrading, its queued events go through', async () => {
    const dora = await signUp(server.url, { name: 'Dora' });
    const dbPath = join(tempDir('schema'), 'store.sqlite');
    const old = await open(server, dora, { dbPath, schemaVersion: 1 });
    const { organizationId, teamId } = createOrganizationOn(old, dora);
    const patient = old.insert('patients', {
      organization_id: organizationId,
      given_name: 'Esi',
      family_name: 'Owusu',
    });
    const visit = old.insert('appointments', booking(teamId, patient.id, { reason: 'Cough' }));
    old.update('appointments', visit.id, { reason: 'Cough, three days' });

    await old.syncNow();
    expect(old.status()).toMatchObject({
      phase: 'upgrade_required',
      pending: 6,
      lastError: { code: 'schema_upgrade_required' },
    });
    // It keeps working locally, and keeps queueing.
    const later = old.insert('patients', { organization_id: organizationId, given_name: 'Yaw', family_name: 'Mensah' });
    await old.syncNow();
    expect(old.status()).toMatchObject({ phase: 'upgrade_required', pending: 7 });
    expect(old.get('appointments', visit.id)).toMatchObject({ reason: 'Cough, three days', version: 0 });
    await close(old);

    // The app is updated: the same store opens at version 2.
    const upgraded = await open(server, dora, { dbPath });
    expect(upgraded.status()).toMatchObject({ phase: 'idle', pending: 7 });
    expect(upgraded.get('appointments', visit.id)).toMatchObject({ reason: 'Cough, three days', kind: null });
    await upgraded.syncNow();
    expect(upgraded.status()).toMatchObject({ phase: 'idle', pending: 0, deadLetters: 0, openConflicts: 0 });
    expect(upgraded.get('appointments', visit.id)).toMatchObject({
      reason: 'Cough, three days',
      kind: null,
      updated_by: dora.userId,
    });
    expect(upgraded.get('patients', later.id)?.version).toBe(1);
    upgraded.update('appointments', visit.id, { kind: 'consultation' });
    await upgraded.syncNow();

    // Another device of the same user receives everything that was queued while the app was too old.
    const deviceId = randomUUID();
    const signedIn = await signIn(server.url, { email: dora.email, password: dora.password, deviceId });
    const other = await open(server, { ...dora, deviceId, syncToken: signedIn.syncToken });
    await other.syncNow();
    for (const table of ['organizations', 'teams', 'members', 'patients', 'appointments'] as const) {
      expect(localRows(upgraded, table, SCHEMA_VERSION)).toEqual(await serverRows(server, dora, table, SCHEMA_VERSION));
      expect(localRows(other, table, SCHEMA_VERSION)).toEqual(localRows(upgraded, table, SCHEMA_VERSION));
    }
    expect(localRows(other, 'appointments', 2)).toMatchObject([
      { id: visit.id, reason: 'Cough, three days', kind: 'consultation' },
    ]);
    expect(
      localRows(other, 'patients', 2)
        .map((p) => p.id)
        .sort(),
    ).toEqual([patient.id, later.id].sort());
  });
});
