/**
 * Black-box `POST /v1/sync/push` (PROTOCOL §3, §6) against the real server
 * process on SQLite and PostgreSQL: every table written by the roles allowed
 * to, field-level merge, conflicts, idempotency, one change-log row per
 * record, exactly one audit row per applied change, and device reports.
 */
import { randomUUID } from 'node:crypto';
import type { EventResult } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIn, signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import {
  addMember,
  createOrganization,
  deleteEvent,
  insertEvent,
  openServerDatabase,
  push,
  pushApplied,
  pushResults,
  rows,
  updateEvent,
  type CreatedOrganization,
  type PushSession,
  type ServerDatabase,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describeEachDialect('push', (dialect) => {
  let server: ServerProcess;
  let db: ServerDatabase;
  let alice!: SignedUpUser;
  let aliceLaptop!: PushSession; // Alice's second device
  let carol!: SignedUpUser;
  let rita!: SignedUpUser;
  let org!: CreatedOrganization;
  const members: Record<string, string> = {};

  beforeAll(async () => {
    const pgUrl = dialect.name === 'postgres' ? await dialect.databaseUrl() : undefined;
    server = await startServerProcess(pgUrl ? { db: pgUrl } : {});
    db = await openServerDatabase(server, pgUrl);
    [alice, carol, rita] = (await Promise.all([1, 2, 3].map(() => signUp(server.url)))) as [
      SignedUpUser,
      SignedUpUser,
      SignedUpUser,
    ];
    const laptop = await signIn(server.url, { email: alice.email, password: alice.password, deviceName: 'Laptop' });
    const laptopDevice = (await db.rows('devices', { column: 'user_id', value: alice.userId })).find(
      (d) => d.device_id !== alice.deviceId,
    )!;
    aliceLaptop = { userId: alice.userId, deviceId: laptopDevice.device_id!, syncToken: laptop.syncToken };
    org = await createOrganization(server.url, alice, { name: 'Riverside Clinic' });
    members.carol = await addMember(server.url, alice, org.organizationId, carol, 'clinician');
    members.rita = await addMember(server.url, alice, org.organizationId, rita, 'receptionist');
  });
  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  const statuses = (results: readonly EventResult[]) =>
    results.map((r) => (r.status === 'rejected' ? `rejected:${r.code}` : r.status));
  const one = async (table: Parameters<ServerDatabase['rows']>[0], id: string) =>
    (await db.rows(table, { column: 'id', value: id }))[0]!;

  it('creates an organization, its admin and first team in one bootstrap push', async () => {
    expect(await one('organizations', org.organizationId)).toMatchObject({
      name: 'Riverside Clinic',
      version: '1',
      deleted: '0',
      updated_by: alice.userId,
    });
    expect(await one('members', org.memberId)).toMatchObject({
      organization_id: org.organizationId,
      user_id: alice.userId,
      role: 'admin',
    });
    expect(await one('teams', org.teamId)).toMatchObject({ organization_id: org.organizationId, name: 'Outpatients' });
  });

  it('lets every role write the tables its role allows', async () => {
    // Receptionist: patients and appointments.
    const patient = randomUUID();
    const appointment = randomUUID();
    expect(
      await pushApplied(server.url, rita, [
        insertEvent('patients', rows.patient(org.organizationId, { birth_date: '1990-02-28', sex: 'female' }), patient),
        insertEvent('appointments', rows.appointment(org.teamId, patient), appointment),
        updateEvent('appointments', appointment, 1, { status: 'arrived' }),
        updateEvent('patients', patient, 1, { phone: '+254 700 000 000' }),
      ]),
    ).toEqual([1, 1, 2, 2]);
    // Clinician: vitals and medications, and patients too.
    const vital = randomUUID();
    const medication = randomUUID();
    expect(
      await pushApplied(server.url, carol, [
        insertEvent('vitals', rows.vital(patient), vital),
        insertEvent('medications', rows.medication(patient), medication),
        updateEvent('medications', medication, 1, { dose: '250 mg', frequency: 'twice daily' }),
        deleteEvent('vitals', vital, 1),
        updateEvent('patients', patient, 2, { notes: 'Allergic to penicillin' }),
      ]),
    ).toEqual([1, 1, 2, 2, 3]);
    // Admin: the organization, teams and members; an appointment may move to another team of the same organization.
    const secondTeam = randomUUID();
    expect(
      await pushApplied(server.url, alice, [
        updateEvent('organizations', org.organizationId, 1, { name: 'Riverside Health Centre' }),
        insertEvent('teams', { organization_id: org.organizationId, name: 'Maternity' }, secondTeam),
        updateEvent('appointments', appointment, 2, { team_id: secondTeam }),
        updateEvent('members', members.rita!, 1, { team_id: secondTeam }),
        updateEvent('medications', medication, 2, { status: 'stopped' }),
      ]),
    ).toEqual([2, 1, 3, 2, 3]);
    expect(
      await pushApplied(server.url, rita, [
        deleteEvent('appointments', appointment, 3),
        deleteEvent('patients', patient, 3),
      ]),
    ).toEqual([4, 4]);

    // Pushed by a version 1 client as free text 'pulse': stored as its code (docs/schema-migrations.md, version 3).
    expect(await one('vitals', vital)).toMatchObject({ deleted: '1', version: '2', kind: 'heart_rate', value: '72' });
    expect(await one('medications', medication)).toMatchObject({
      dose: '250 mg',
      frequency: 'twice daily',
      status: 'stopped',
      version: '3',
    });
    expect(await one('appointments', appointment)).toMatchObject({
      team_id: secondTeam,
      status: 'arrived',
      deleted: '1',
      version: '4',
    });
    expect(await one('patients', patient)).toMatchObject({
      phone: '+254 700 000 000',
      notes: 'Allergic to penicillin',
      sex: 'female',
      birth_date: '1990-02-28',
      deleted: '1',
    });
    expect(await one('members', members.rita!)).toMatchObject({ team_id: secondTeam, updated_by: alice.userId });
  });

  it('answers each event in request order, with the server time', async () => {
    const events = [
      insertEvent('patients', rows.patient(org.organizationId)),
      insertEvent('vitals', rows.vital(randomUUID())),
      insertEvent('patients', rows.patient(org.organizationId)),
    ];
    const res = await push(server.url, rita, events);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => r.eventId)).toEqual(events.map((e) => e.eventId));
    expect(statuses(res.body.results)).toEqual(['applied', 'rejected:not_found', 'applied']);
    expect(Date.parse(res.body.serverTime)).not.toBeNaN();
  });

  it('applies a batch of exactly 500 events', async () => {
    const events = Array.from({ length: 500 }, () => insertEvent('patients', rows.patient(org.organizationId)));
    const results = await pushResults(server.url, carol, events);
    expect(results.filter((r) => r.status === 'applied')).toHaveLength(500);
  });

  it('merges edits of different fields from two devices based on the same version', async () => {
    const patient = randomUUID();
    await pushApplied(server.url, alice, [insertEvent('patients', rows.patient(org.organizationId), patient)]);
    expect(
      await pushApplied(server.url, alice, [updateEvent('patients', patient, 1, { phone: '0722 111 222' })]),
    ).toEqual([2]);
    // The laptop never saw version 2: its address edit still lands, next to the phone.
    expect(
      await pushApplied(server.url, aliceLaptop, [updateEvent('patients', patient, 1, { address: '12 Market Road' })]),
    ).toEqual([3]);
    expect(await one('patients', patient)).toMatchObject({
      phone: '0722 111 222',
      address: '12 Market Road',
      version: '3',
    });
  });

  it('refuses a stale edit of a field changed meanwhile, or of a strict field, and writes nothing', async () => {
    const patient = randomUUID();
    await pushApplied(server.url, alice, [
      insertEvent('patients', rows.patient(org.organizationId), patient),
      updateEvent('patients', patient, 1, { phone: '1' }),
    ]);
    const before = await one('patients', patient);
    const results = await pushResults(server.url, aliceLaptop, [
      updateEvent('patients', patient, 1, { phone: '2' }),
      updateEvent('patients', patient, 1, { family_name: 'Other' }),
    ]);
    expect(results[0]).toMatchObject({ status: 'conflict', serverVersion: 2, fields: ['phone'] });
    expect(results[1]).toMatchObject({ status: 'conflict', serverVersion: 2, fields: ['family_name'] });
    expect(await one('patients', patient)).toEqual(before);
    // Resolved: the client re-sends on top of the server's version.
    expect(await pushApplied(server.url, aliceLaptop, [updateEvent('patients', patient, 2, { phone: '2' })])).toEqual([
      3,
    ]);
  });

  it('answers concurrent dose edits with a conflict carrying the winning record', async () => {
    const patient = randomUUID();
    const medication = randomUUID();
    await pushApplied(server.url, carol, [
      insertEvent('patients', rows.patient(org.organizationId), patient),
      insertEvent('medications', rows.medication(patient), medication),
    ]);
    expect(
      await pushApplied(server.url, carol, [updateEvent('medications', medication, 1, { dose: '750 mg' })]),
    ).toEqual([2]);
    const [conflict] = await pushResults(server.url, alice, [
      updateEvent('medications', medication, 1, { dose: '1 g' }),
    ]);
    expect(conflict).toEqual({
      eventId: expect.any(String),
      status: 'conflict',
      serverVersion: 2,
      fields: ['dose'],
      serverRecord: {
        id: medication,
        patient_id: patient,
        code: 'amoxicillin',
        dose: '750 mg',
        route: null,
        frequency: null,
        status: 'active',
        version: 2,
        updated_at: expect.any(String),
        updated_by: carol.userId,
        deleted: false,
      },
    });
    expect(await one('medications', medication)).toMatchObject({ dose: '750 mg', version: '2' });
  });

  it('answers an INSERT of an id already in the organization with a conflict', async () => {
    const patient = randomUUID();
    await pushApplied(server.url, rita, [
      insertEvent('patients', rows.patient(org.organizationId, { given_name: 'First' }), patient),
    ]);
    const [result] = await pushResults(server.url, carol, [
      insertEvent('patients', rows.patient(org.organizationId, { given_name: 'Second' }), patient),
    ]);
    expect(result).toMatchObject({
      status: 'conflict',
      serverVersion: 1,
      serverRecord: { id: patient, given_name: 'First' },
    });
  });

  it('keeps one change-log row per record, with its latest state and a fresh sequence number', async () => {
    const patient = randomUUID();
    await pushApplied(server.url, rita, [
      insertEvent('patients', rows.patient(org.organizationId), patient),
      updateEvent('patients', patient, 1, { phone: '1' }),
      updateEvent('patients', patient, 2, { phone: '2' }),
    ]);
    const log = await db.rows('change_log', { column: 'record_id', value: patient });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      organization_id: org.organizationId,
      table_name: 'patients',
      version: '3',
      op: 'UPSERT',
    });
    expect(log[0]).not.toHaveProperty('data');
    const [seq] = await db.rows('org_seq', { column: 'organization_id', value: org.organizationId });
    const audit = await db.rows('audit_log', { column: 'record_id', value: patient });
    expect(Math.max(...audit.map((a) => Number(a.seq)))).toBe(Number(log[0]!.seq));
    expect(Number(log[0]!.seq)).toBeLessThanOrEqual(Number(seq!.last_seq));

    await pushApplied(server.url, rita, [deleteEvent('patients', patient, 3)]);
    expect(await db.rows('change_log', { column: 'record_id', value: patient })).toEqual([
      expect.objectContaining({ op: 'DELETE', version: '4' }),
    ]);
  });

  it('writes exactly one audit row per applied change and none for refused, conflicting or re-sent events', async () => {
    const own = await createOrganization(server.url, carol, { name: 'Audit clinic' });
    const patient = randomUUID();
    const batch = [
      insertEvent('patients', rows.patient(own.organizationId), patient),
      updateEvent('patients', patient, 1, { phone: '1' }),
      updateEvent('patients', patient, 1, { given_name: 'Stale' }), // conflict
      insertEvent('vitals', rows.vital(randomUUID())), // not_found
      insertEvent('patients', { nope: 1 }), // unknown_field
      deleteEvent('patients', patient, 2),
    ];
    const results = await pushResults(server.url, carol, batch);
    expect(statuses(results)).toEqual([
      'applied',
      'applied',
      'conflict',
      'rejected:not_found',
      'rejected:unknown_field',
      'applied',
    ]);
    const resent = await pushResults(server.url, carol, batch);
    expect(resent.map((r) => r.status)).toEqual(Array(6).fill('duplicate'));
    expect(resent.map((r) => (r.status === 'duplicate' ? r.original.status : ''))).toEqual([
      'applied',
      'applied',
      'conflict',
      'rejected',
      'rejected',
      'applied',
    ]);

    const audit = (await db.rows('audit_log', { column: 'organization_id', value: own.organizationId })).sort(
      (a, b) => Number(a.seq) - Number(b.seq),
    );
    // 3 from the bootstrap, 3 applied in the batch.
    expect(audit.map((a) => [a.table_name, a.op, a.version])).toEqual([
      ['organizations', 'INSERT', '1'],
      ['members', 'INSERT', '1'],
      ['teams', 'INSERT', '1'],
      ['patients', 'INSERT', '1'],
      ['patients', 'UPDATE', '2'],
      ['patients', 'DELETE', '3'],
    ]);
    expect(audit.map((a) => Number(a.seq))).toEqual([1, 2, 3, 4, 5, 6]);
    const [insert, update, remove] = audit.slice(3);
    expect(insert).toMatchObject({
      user_id: carol.userId,
      device_id: carol.deviceId,
      event_id: batch[0]!.eventId,
      record_id: patient,
      before: null,
    });
    expect(JSON.parse(insert!.after!)).toMatchObject({ given_name: 'Amina', phone: null });
    expect(JSON.parse(update!.before!)).toMatchObject({ phone: null });
    expect(JSON.parse(update!.after!)).toMatchObject({ phone: '1' });
    expect(JSON.parse(remove!.before!)).toMatchObject({ phone: '1' });
    expect(remove!.after).toBeNull();
  });

  it("stores a heartbeat's outbox report on the pushing device", async () => {
    const report = { pending: 812, oldestPendingAt: '2026-01-02T03:04:05.000Z', openConflicts: 2, deadLetters: 1 };
    const res = await push(server.url, rita, [], { outbox: report, appVersion: '1.4.0' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ results: [], serverTime: expect.any(String) });
    const device = (await db.rows('devices', { column: 'user_id', value: rita.userId })).find(
      (d) => d.device_id === rita.deviceId,
    )!;
    expect(device).toMatchObject({
      pending: '812',
      oldest_pending_at: report.oldestPendingAt,
      open_conflicts: '2',
      dead_letters: '1',
      schema_version: '1',
      app_version: '1.4.0',
    });
    expect(Date.parse(device.last_push_at!)).not.toBeNaN();

    // A later push reports an empty outbox; another user's device is untouched.
    await push(server.url, rita, [], {
      outbox: { pending: 0, oldestPendingAt: null, openConflicts: 0, deadLetters: 0 },
    });
    expect(
      (await db.rows('devices', { column: 'user_id', value: rita.userId })).find((d) => d.device_id === rita.deviceId),
    ).toMatchObject({
      pending: '0',
      oldest_pending_at: null,
      open_conflicts: '0',
      dead_letters: '0',
    });
    const carolsDevice = (await db.rows('devices', { column: 'user_id', value: carol.userId }))[0]!;
    expect(carolsDevice.pending).not.toBe('812');
  });

  it('answers an UPDATE of a tombstone as not_found', async () => {
    const patient = randomUUID();
    await pushApplied(server.url, rita, [
      insertEvent('patients', rows.patient(org.organizationId), patient),
      deleteEvent('patients', patient, 1),
    ]);
    const results = await pushResults(server.url, rita, [
      updateEvent('patients', patient, 2, { phone: '1' }),
      deleteEvent('patients', patient, 2),
    ]);
    expect(statuses(results)).toEqual(['rejected:not_found', 'rejected:not_found']);
  });
});
