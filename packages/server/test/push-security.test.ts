/**
 * Black-box adversarial suite for `POST /v1/sync/push` (PROTOCOL §2, §3)
 * against the real server process, on SQLite and PostgreSQL. Bob is a valid
 * user, admin of his own organization B; he tries every way to read or change
 * organization A through push. Rita and Carol are A's receptionist and
 * clinician trying to exceed their roles. Each attempt must be refused with
 * the documented code, reveal nothing of A, and leave the database exactly as
 * it was (checked through a direct connection to the server's database).
 */
import { randomUUID } from 'node:crypto';
import { SCHEMA_VERSION, type PushResponse } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call, type JsonResponse } from './support/http-client.ts';
import {
  addMember,
  createOrganization,
  deleteEvent,
  insertEvent,
  newEvent,
  openServerDatabase,
  push,
  pushApplied,
  rows,
  updateEvent,
  type CreatedOrganization,
  type PushEvent,
  type PushSession,
  type ServerDatabase,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

/** Patient data of organization A that must never appear in an answer to anybody else. */
const SECRET = 'Zainab-Confidential-7731';

type Clinic = CreatedOrganization & {
  patient: string;
  appointment: string;
  vital: string;
  medication: string;
  patientInsert: PushEvent;
};

describeEachDialect('push refuses attacks', (dialect) => {
  let server: ServerProcess;
  let db: ServerDatabase;
  let alice!: SignedUpUser; // admin of A
  let carol!: SignedUpUser; // clinician of A
  let rita!: SignedUpUser; // receptionist of A
  let bob!: SignedUpUser; // admin of B, the attacker
  let mallory!: SignedUpUser; // member of nothing
  let A: Clinic;
  let B: Clinic;
  const memberIds: Record<string, string> = {};

  async function clinic(admin: SignedUpUser, name: string, secret: string): Promise<Clinic> {
    const org = await createOrganization(server.url, admin, { name });
    const patientInsert = insertEvent(
      'patients',
      rows.patient(org.organizationId, { given_name: secret, notes: `${secret} notes` }),
    );
    const patient = patientInsert.recordId;
    const appointment = randomUUID();
    const vital = randomUUID();
    const medication = randomUUID();
    await pushApplied(server.url, admin, [
      patientInsert,
      insertEvent('appointments', rows.appointment(org.teamId, patient, { reason: secret }), appointment),
      insertEvent('vitals', rows.vital(patient), vital),
      insertEvent('medications', rows.medication(patient), medication),
    ]);
    return { ...org, patient, appointment, vital, medication, patientInsert };
  }

  beforeAll(async () => {
    const pgUrl = dialect.name === 'postgres' ? await dialect.databaseUrl() : undefined;
    server = await startServerProcess(pgUrl ? { db: pgUrl } : {});
    db = await openServerDatabase(server, pgUrl);
    [alice, carol, rita, bob, mallory] = (await Promise.all([1, 2, 3, 4, 5].map(() => signUp(server.url)))) as [
      SignedUpUser,
      SignedUpUser,
      SignedUpUser,
      SignedUpUser,
      SignedUpUser,
    ];
    A = await clinic(alice, 'Clinic A', SECRET);
    B = await clinic(bob, 'Clinic B', 'Bob-Patient');
    memberIds.alice = A.memberId;
    memberIds.bob = B.memberId;
    memberIds.carol = await addMember(server.url, alice, A.organizationId, carol, 'clinician');
    memberIds.rita = await addMember(server.url, alice, A.organizationId, rita, 'receptionist');
  });
  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  const codes = (res: JsonResponse<PushResponse>) =>
    res.body.results.map((r) => (r.status === 'rejected' ? r.code : r.status));

  /** Pushes as `who`; each event must be refused with the given code, nothing of A shown, the data unchanged. */
  async function expectRefused(
    who: PushSession,
    events: PushEvent[],
    expected: string[],
  ): Promise<JsonResponse<PushResponse>> {
    const remembered = () =>
      Promise.all(events.map((event) => db.rows('applied_events', { column: 'event_id', value: event.eventId })));
    const before = await db.dump();
    const rememberedBefore = await remembered();
    const res = await push(server.url, who, events);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(codes(res)).toEqual(expected);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(await db.dump()).toEqual(before);
    // Newly remembered for idempotency only as refusals; what was remembered before stays as it was.
    const rememberedAfter = await remembered();
    rememberedAfter.forEach((rowsAfter, index) => {
      if (rememberedBefore[index]!.length > 0) expect(rowsAfter).toEqual(rememberedBefore[index]);
      else for (const row of rowsAfter) expect(JSON.parse(row.outcome!).status).toBe('rejected');
    });
    return res;
  }

  /** Sends a raw request; it must fail with `status`/`code` in the documented error shape and change nothing. */
  async function expectHttpError(options: Parameters<typeof call>[3], status: number, code: string): Promise<void> {
    const before = await db.dump();
    const res = await call(server.url, 'POST', '/v1/sync/push', options);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body).toEqual({ error: { code, message: expect.any(String), details: expect.any(Object) } });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(await db.dump()).toEqual(before);
  }

  it('reads the server database directly (so the unchanged-database checks below can fail)', async () => {
    const before = await db.dump();
    expect(before.patients!.some((row) => row.given_name === SECRET)).toBe(true);
    await pushApplied(server.url, bob, [insertEvent('patients', rows.patient(B.organizationId))]);
    expect(await db.dump()).not.toEqual(before);
  });

  it('refuses INSERTs into another organization with a forged organization_id', async () => {
    await expectRefused(
      bob,
      [
        insertEvent('patients', rows.patient(A.organizationId)),
        insertEvent('teams', { organization_id: A.organizationId, name: 'Bob team' }),
        insertEvent('members', { organization_id: A.organizationId, user_id: bob.userId, role: 'admin' }),
        insertEvent('members', { organization_id: A.organizationId, user_id: bob.userId, role: 'receptionist' }),
      ],
      ['forbidden', 'forbidden', 'forbidden', 'forbidden'],
    );
  });

  it("refuses UPDATE and DELETE of another organization's records, whatever the payload claims", async () => {
    await expectRefused(
      bob,
      [
        updateEvent('patients', A.patient, 1, { phone: '+1 555' }),
        updateEvent('patients', A.patient, 1, { organization_id: B.organizationId }),
        deleteEvent('patients', A.patient, 1),
        updateEvent('organizations', A.organizationId, 1, { name: 'Owned' }),
        deleteEvent('organizations', A.organizationId, 1),
        updateEvent('teams', A.teamId, 1, { name: 'Owned' }),
        deleteEvent('teams', A.teamId, 1),
        updateEvent('members', memberIds.alice!, 1, { role: 'receptionist' }),
        deleteEvent('members', memberIds.carol!, 1),
        updateEvent('appointments', A.appointment, 1, { status: 'cancelled' }),
        deleteEvent('appointments', A.appointment, 1),
        updateEvent('vitals', A.vital, 1, { value: 300 }),
        deleteEvent('vitals', A.vital, 1),
        updateEvent('medications', A.medication, 1, { dose: '5000 mg' }),
        deleteEvent('medications', A.medication, 1),
      ],
      Array(15).fill('forbidden'),
    );
  });

  it('answers a stale edit of a foreign record with forbidden, never with a conflict showing the record', async () => {
    await expectRefused(
      bob,
      [
        updateEvent('patients', A.patient, 7, { phone: '1' }),
        updateEvent('medications', A.medication, 2, { dose: '1 mg' }),
      ],
      ['forbidden', 'forbidden'],
    );
  });

  it("refuses children under another organization's parents", async () => {
    await expectRefused(
      bob,
      [
        insertEvent('vitals', rows.vital(A.patient)),
        insertEvent('medications', rows.medication(A.patient)),
        insertEvent('appointments', rows.appointment(A.teamId, A.patient)),
        insertEvent('appointments', rows.appointment(A.teamId, B.patient)),
      ],
      ['forbidden', 'forbidden', 'forbidden', 'forbidden'],
    );
  });

  it('refuses moving records between organizations', async () => {
    await expectRefused(
      bob,
      [
        updateEvent('patients', B.patient, 1, { organization_id: A.organizationId }),
        updateEvent('teams', B.teamId, 1, { organization_id: A.organizationId }),
        updateEvent('members', memberIds.bob!, 1, { organization_id: A.organizationId }),
        updateEvent('members', memberIds.bob!, 1, { user_id: alice.userId }),
        updateEvent('vitals', B.vital, 1, { patient_id: A.patient }),
        updateEvent('medications', B.medication, 1, { patient_id: A.patient }),
        updateEvent('appointments', B.appointment, 1, { patient_id: A.patient }),
        updateEvent('appointments', B.appointment, 1, { team_id: A.teamId }),
        updateEvent('members', memberIds.bob!, 1, { team_id: A.teamId }),
      ],
      [
        'immutable_field',
        'immutable_field',
        'immutable_field',
        'immutable_field',
        'immutable_field',
        'immutable_field',
        'immutable_field',
        'cross_organization',
        'cross_organization',
      ],
    );
  });

  it('refuses cross-organization appointments both ways', async () => {
    // B's team with A's patient: B is Bob's scope, the patient lies outside it.
    await expectRefused(
      bob,
      [insertEvent('appointments', rows.appointment(B.teamId, A.patient))],
      ['cross_organization'],
    );
    // A's team with B's patient: the scope is A, where Bob is nobody.
    await expectRefused(bob, [insertEvent('appointments', rows.appointment(A.teamId, B.patient))], ['forbidden']);
    // Alice, member of A only, cannot pull B's patient into A either.
    await expectRefused(
      alice,
      [insertEvent('appointments', rows.appointment(A.teamId, B.patient))],
      ['cross_organization'],
    );
  });

  it("refuses INSERTs that reuse the id of another organization's record, without showing it", async () => {
    await expectRefused(
      bob,
      [
        insertEvent('patients', rows.patient(B.organizationId), A.patient),
        insertEvent('organizations', { name: 'Clinic A?' }, A.organizationId),
        insertEvent('vitals', rows.vital(B.patient), A.vital),
      ],
      ['already_exists', 'already_exists', 'already_exists'],
    );
  });

  it('never lets anyone bootstrap their way into an existing organization', async () => {
    for (const attacker of [bob, mallory]) {
      await expectRefused(
        attacker,
        [
          insertEvent('organizations', { name: 'Takeover' }, A.organizationId),
          insertEvent('members', { organization_id: A.organizationId, user_id: attacker.userId, role: 'admin' }),
          insertEvent('patients', rows.patient(A.organizationId)),
        ],
        ['already_exists', 'forbidden', 'forbidden'],
      );
      // Without the organization INSERT there is no bootstrap at all.
      await expectRefused(
        attacker,
        [insertEvent('members', { organization_id: A.organizationId, user_id: attacker.userId, role: 'admin' })],
        ['forbidden'],
      );
    }
    // A member without the admin role meets the same wall (and may not even see the stored organization as a conflict).
    await expectRefused(
      rita,
      [
        insertEvent('organizations', { name: 'Takeover' }, A.organizationId),
        insertEvent('members', { organization_id: A.organizationId, user_id: rita.userId, role: 'admin' }),
      ],
      ['forbidden', 'forbidden'],
    );
  });

  it('never bootstraps a deleted organization again', async () => {
    const gone = await createOrganization(server.url, mallory, { name: 'Closed clinic' });
    await pushApplied(server.url, mallory, [deleteEvent('organizations', gone.organizationId, 1)]);
    await expectRefused(
      bob,
      [
        insertEvent('organizations', { name: 'Reopened' }, gone.organizationId),
        insertEvent('members', { organization_id: gone.organizationId, user_id: bob.userId, role: 'admin' }),
      ],
      // The tombstoned organization is no parent for new rows.
      ['already_exists', 'not_found'],
    );
  });

  it('grants a bootstrap only to the organization it creates, not to others named in the batch', async () => {
    const fresh = randomUUID();
    const before = {
      members: await db.rows('members', { column: 'organization_id', value: A.organizationId }),
      patients: await db.rows('patients', { column: 'organization_id', value: A.organizationId }),
    };
    const res = await push(server.url, bob, [
      insertEvent('organizations', { name: 'Bob two' }, fresh),
      insertEvent('members', { organization_id: fresh, user_id: bob.userId, role: 'admin' }),
      insertEvent('members', { organization_id: A.organizationId, user_id: bob.userId, role: 'admin' }),
      insertEvent('patients', rows.patient(A.organizationId)),
      insertEvent('teams', { organization_id: fresh, name: 'T' }),
    ]);
    expect(codes(res)).toEqual(['applied', 'applied', 'forbidden', 'forbidden', 'applied']);
    expect(await db.rows('members', { column: 'organization_id', value: A.organizationId })).toEqual(before.members);
    expect(await db.rows('patients', { column: 'organization_id', value: A.organizationId })).toEqual(before.patients);
  });

  it('keeps a receptionist from raising their role or writing clinical records', async () => {
    await expectRefused(
      rita,
      [
        updateEvent('members', memberIds.rita!, 1, { role: 'admin' }),
        insertEvent('members', { organization_id: A.organizationId, user_id: rita.userId, role: 'admin' }),
        insertEvent('members', { organization_id: A.organizationId, user_id: mallory.userId, role: 'admin' }),
        insertEvent('vitals', rows.vital(A.patient)),
        insertEvent('medications', rows.medication(A.patient)),
        updateEvent('vitals', A.vital, 1, { value: 10 }),
        updateEvent('medications', A.medication, 1, { dose: '1 g' }),
        deleteEvent('medications', A.medication, 1),
        insertEvent('teams', { organization_id: A.organizationId, name: 'Front desk' }),
        updateEvent('organizations', A.organizationId, 1, { name: 'Rita clinic' }),
      ],
      Array(10).fill('forbidden'),
    );
    await expectRefused(
      carol,
      [updateEvent('members', memberIds.carol!, 1, { role: 'admin' }), deleteEvent('members', memberIds.alice!, 1)],
      ['forbidden', 'forbidden'],
    );
  });

  it('refuses unknown tables, unknown fields and SQL-looking identifiers', async () => {
    const patient = rows.patient(B.organizationId);
    await expectRefused(
      bob,
      [
        insertEvent('users', { email: 'x@example.test' }),
        insertEvent('patients; drop table users', patient),
        insertEvent('sqlite_master', { name: 'x' }),
        insertEvent('pg_catalog.pg_user', { usename: 'x' }),
        insertEvent('__proto__', patient),
        insertEvent('patients', { ...patient, 'name" --': 'x' }),
        insertEvent('patients', { ...patient, '"; DROP TABLE patients; --': 'x' }),
        updateEvent('patients', B.patient, 1, { 'phone = 1, organization_id': A.organizationId }),
        updateEvent('patients', B.patient, 1, { version: 99 }),
        updateEvent('patients', B.patient, 1, { deleted: 1 }),
        updateEvent('patients', B.patient, 1, { updated_by: alice.userId }),
        insertEvent('patients', { ...patient, id: randomUUID() }),
        updateEvent('patients', B.patient, 1, { field_versions: '{}' }),
        newEvent('patients', 'UPDATE', "' OR 1=1 --", 1, { phone: '1' }),
        newEvent('patients', 'UPSERT', randomUUID(), 0, patient),
        insertEvent('patients', { ...patient, given_name: 'x'.repeat(201) }),
        insertEvent('patients', { ...patient, sex: "female' OR '1'='1" }),
        insertEvent('vitals', rows.vital(B.patient, { value: '72; drop table vitals' })),
      ],
      [
        'unknown_table',
        'unknown_table',
        'unknown_table',
        'unknown_table',
        'unknown_table',
        'unknown_field',
        'unknown_field',
        'unknown_field',
        'unknown_field',
        'unknown_field',
        'unknown_field',
        'unknown_field',
        'unknown_field',
        'invalid_event',
        'invalid_event',
        'invalid_event',
        'invalid_event',
        'invalid_event',
      ],
    );
  });

  it('refuses absurdly nested data per event instead of failing the batch', async () => {
    // Written as text: the test's own JSON.stringify could not nest this deep.
    const event = insertEvent('patients', { ...rows.patient(B.organizationId), notes: '@' });
    const depth = 100_000;
    const rawBody = JSON.stringify({ deviceId: bob.deviceId, schemaVersion: 1, events: [event] }).replace(
      '"@"',
      `${'['.repeat(depth)}"x"${']'.repeat(depth)}`,
    );
    const before = await db.dump();
    const res = await call<PushResponse>(server.url, 'POST', '/v1/sync/push', { token: bob.syncToken, rawBody });
    expect(res.status).toBe(200);
    expect(codes(res)).toEqual(['invalid_event']);
    expect(await db.dump()).toEqual(before);
  });

  it('stores SQL-looking values as plain text', async () => {
    const name = "Robert'); DROP TABLE patients;--";
    const event = insertEvent(
      'patients',
      rows.patient(B.organizationId, { given_name: name, notes: '"; delete from members; --' }),
    );
    await pushApplied(server.url, bob, [event]);
    const [row] = await db.rows('patients', { column: 'id', value: event.recordId });
    expect(row).toMatchObject({ given_name: name, notes: '"; delete from members; --' });
    expect((await db.rows('patients', { column: 'organization_id', value: A.organizationId })).length).toBeGreaterThan(
      0,
    );
  });

  it('refuses malformed requests with 400 invalid_request', async () => {
    const valid = { deviceId: bob.deviceId, schemaVersion: 1, events: [] };
    const bodies: unknown[] = [
      [],
      null,
      'push',
      { ...valid, events: undefined },
      { ...valid, events: 'all' },
      { ...valid, events: [{ table: 'patients' }] },
      { ...valid, events: [{ eventId: 'not-a-uuid', table: 'patients' }] },
      { ...valid, events: [null] },
      { ...valid, deviceId: undefined },
      { ...valid, schemaVersion: '1' },
      { ...valid, organizationId: A.organizationId },
      { ...valid, outbox: { pending: -1 } },
    ];
    for (const body of bodies) await expectHttpError({ token: bob.syncToken, body }, 400, 'invalid_request');
    for (const rawBody of ['{"deviceId":', 'not json at all', ''])
      await expectHttpError({ token: bob.syncToken, rawBody }, 400, 'invalid_request');
  });

  it('refuses a body over the size limit with 413 payload_too_large', async () => {
    const body = {
      deviceId: bob.deviceId,
      schemaVersion: 1,
      events: [insertEvent('patients', rows.patient(B.organizationId, { notes: 'x'.repeat(6 * 1024 * 1024) }))],
    };
    await expectHttpError({ token: bob.syncToken, body }, 413, 'payload_too_large');
  });

  it('refuses more than 500 events with 413 batch_too_large and applies none of them', async () => {
    const events = Array.from({ length: 501 }, () => insertEvent('patients', rows.patient(B.organizationId)));
    await expectHttpError(
      { token: bob.syncToken, body: { deviceId: bob.deviceId, schemaVersion: 1, events } },
      413,
      'batch_too_large',
    );
  });

  it("refuses a push on behalf of another device, even the caller's own other device", async () => {
    const body = (deviceId: string) => ({
      deviceId,
      schemaVersion: 1,
      events: [insertEvent('patients', rows.patient(B.organizationId))],
    });
    await expectHttpError({ token: bob.syncToken, body: body(alice.deviceId) }, 403, 'forbidden');
    await expectHttpError({ token: bob.syncToken, body: body(randomUUID()) }, 403, 'forbidden');
  });

  it('refuses anything but the sync token of a live device', async () => {
    const body = {
      deviceId: bob.deviceId,
      schemaVersion: 1,
      events: [insertEvent('patients', rows.patient(B.organizationId))],
    };
    await expectHttpError({ body }, 401, 'unauthorized');
    await expectHttpError({ token: 'forged-token', body }, 401, 'unauthorized');
    await expectHttpError({ token: bob.authToken, body }, 403, 'wrong_token_kind');
  });

  it('answers an outdated schema with 426 and an unknown newer one with 400', async () => {
    const body = (schemaVersion: number) => ({
      deviceId: bob.deviceId,
      schemaVersion,
      events: [insertEvent('patients', rows.patient(B.organizationId))],
    });
    await expectHttpError({ token: bob.syncToken, body: body(0) }, 426, 'schema_upgrade_required');
    await expectHttpError({ token: bob.syncToken, body: body(SCHEMA_VERSION + 1) }, 400, 'invalid_request');
  });

  it("refuses replays of someone else's eventId, changed or not, and answers the owner's replay as a duplicate", async () => {
    const stolen = A.patientInsert;
    const replay = await expectRefused(
      bob,
      [stolen, { ...stolen, data: rows.patient(B.organizationId) }],
      ['event_id_reused', 'event_id_reused'],
    );
    expect(replay.body.results.some((r) => 'original' in r)).toBe(false);
    const before = await db.dump();
    const own = await push(server.url, alice, [stolen]);
    expect(own.body.results).toEqual([
      { eventId: stolen.eventId, status: 'duplicate', original: { status: 'applied', version: 1 } },
    ]);
    expect(await db.dump()).toEqual(before);
    // The owner changing the content under the same eventId is refused too.
    await expectRefused(alice, [{ ...stolen, data: { ...stolen.data, given_name: 'Other' } }], ['event_id_reused']);
  });

  it('never removes or demotes the last admin of an organization', async () => {
    await expectRefused(
      alice,
      [updateEvent('members', memberIds.alice!, 1, { role: 'clinician' }), deleteEvent('members', memberIds.alice!, 1)],
      ['last_admin', 'last_admin'],
    );
    await expectRefused(bob, [deleteEvent('members', memberIds.bob!, 1)], ['last_admin']);
  });

  it('refuses writes through a membership that was removed', async () => {
    const temp = await signUp(server.url);
    const membership = await addMember(server.url, alice, A.organizationId, temp, 'clinician');
    await pushApplied(server.url, alice, [deleteEvent('members', membership, 1)]);
    await expectRefused(
      temp,
      [insertEvent('patients', rows.patient(A.organizationId)), updateEvent('patients', A.patient, 1, { phone: '1' })],
      ['forbidden', 'forbidden'],
    );
  });
});
