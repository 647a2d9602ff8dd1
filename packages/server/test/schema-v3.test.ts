/**
 * Black-box schema version 3 (PROTOCOL §2b, docs/schema-migrations.md
 * "Version 3") over HTTP against the real server process, on SQLite and
 * PostgreSQL: coded vitals with hard ranges, blood pressure as one entry,
 * nothing recorded in the future, entered in error, clinic numbers unique per
 * organization, believable birth dates; and version 1 and 2 clients of the
 * same server: their free-text vitals mapped or refused with a reason, and
 * what they pull translated.
 */
import { randomUUID } from 'node:crypto';
import { VITAL_KINDS, type EventResult } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import {
  addMember,
  createOrganization,
  insertEvent,
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
type Rejected = Extract<EventResult, { status: 'rejected' }>;

describeEachDialect('schema version 3', (dialect) => {
  let server: ServerProcess;
  let admin: SignedUpUser;
  let clinician: SignedUpUser;
  let org: CreatedOrganization;
  let otherOrg: CreatedOrganization;
  let patientId: string;

  beforeAll(async () => {
    const pgUrl = dialect.name === 'postgres' ? await dialect.databaseUrl() : undefined;
    server = await startServerProcess(pgUrl ? { db: pgUrl } : {});
    [admin, clinician] = (await Promise.all([signUp(server.url), signUp(server.url)])) as [SignedUpUser, SignedUpUser];
    org = await createOrganization(server.url, admin);
    otherOrg = await createOrganization(server.url, admin, { name: 'Hillside Clinic' });
    await addMember(server.url, admin, org.organizationId, clinician, 'clinician');
    const patient = insertEvent('patients', rows.patient(org.organizationId, { identifier: 'RC-0001' }));
    patientId = patient.recordId;
    expect(await results([patient], 3)).toEqual(['applied']);
  });
  afterAll(() => server?.stop());

  async function pushAt(
    events: PushEvent[],
    schemaVersion: number,
    user: SignedUpUser = clinician,
  ): Promise<EventResult[]> {
    return pushResults(server.url, user, events, { schemaVersion });
  }
  async function results(events: PushEvent[], schemaVersion: number, user: SignedUpUser = admin): Promise<string[]> {
    return (await pushAt(events, schemaVersion, user)).map((r) =>
      r.status === 'rejected' ? `rejected:${r.code}` : r.status,
    );
  }
  async function seenAt(schemaVersion: number, recordId: string): Promise<Change | undefined> {
    const res = await call<{ changes: Change[] }>(
      server.url,
      'GET',
      `/v1/sync/pull?deviceId=${admin.deviceId}&schemaVersion=${schemaVersion}&limit=5000`,
      {
        token: admin.syncToken,
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.changes.find((c) => c.recordId === recordId);
  }
  const vital = (data: Record<string, unknown>) =>
    insertEvent('vitals', { patient_id: patientId, recorded_at: '2026-03-02T09:05:00Z', ...data });

  it('GET /v1/sync/schema states version 3, still serving version 1, with the coded kinds', async () => {
    const res = await call<any>(server.url, 'GET', '/v1/sync/schema');
    expect(res.body).toMatchObject({ current: 3, minSupported: 1 });
    expect(res.body.tables.vitals.columns.kind).toMatchObject({ type: 'enum', values: Object.keys(VITAL_KINDS) });
    expect(res.body.tables.vitals.columns.value2).toMatchObject({ type: 'number', since: 3 });
    expect(res.body.tables.vitals.columns.entered_in_error).toMatchObject({ type: 'boolean', since: 3 });
    expect(res.body.tables.patients.columns.identifier).toMatchObject({ type: 'text', maxLength: 32, since: 3 });
  });

  it('accepts every coded kind at the edges of its hard range, a blood pressure as one entry', async () => {
    const events = Object.values(VITAL_KINDS).flatMap((k) => {
      const second = k.second ? { value2: k.second.hard.min } : {};
      return [
        vital({ kind: k.code, unit: k.unit, value: k.hard.max, ...second }),
        vital({ kind: k.code, unit: k.unit, value: k.second ? k.hard.min + 1 : k.hard.min, ...second }),
      ];
    });
    expect(new Set(await results(events, 3, clinician))).toEqual(new Set(['applied']));
    const bp = vital({ kind: 'blood_pressure', unit: 'mm[Hg]', value: 120, value2: 80 });
    expect(await results([bp], 3, clinician)).toEqual(['applied']);
    expect((await seenAt(3, bp.recordId))!.data).toMatchObject({
      kind: 'blood_pressure',
      value: 120,
      value2: 80,
      unit: 'mm[Hg]',
      entered_in_error: false,
    });
  });

  it('refuses a value outside its hard range as out_of_range, naming the field and never the value', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'body_temperature', unit: 'Cel', value: 382 }, 'value'],
      [{ kind: 'body_weight', unit: 'kg', value: -5 }, 'value'],
      [{ kind: 'blood_pressure', unit: 'mm[Hg]', value: 12080, value2: 80 }, 'value'],
      [{ kind: 'blood_pressure', unit: 'mm[Hg]', value: 120, value2: 250 }, 'value2'],
      [{ kind: 'blood_pressure', unit: 'mm[Hg]', value: 80, value2: 120 }, 'value2'],
      [{ kind: 'oxygen_saturation', unit: '%', value: 101 }, 'value'],
    ];
    const answers = await pushAt(
      cases.map(([data]) => vital(data)),
      3,
    );
    answers.forEach((answer, index) => {
      expect(answer, JSON.stringify(cases[index])).toMatchObject({
        status: 'rejected',
        code: 'out_of_range',
        details: { field: cases[index]![1] },
      });
      const { message, details } = answer as Rejected;
      const text = JSON.stringify({ message, details });
      for (const value of Object.values(cases[index]![0]))
        if (typeof value === 'number') expect(text).not.toContain(String(value));
    });
  });

  it('refuses a wrong unit, a missing or stray diastolic, an unknown kind and a time in the future as invalid_event', async () => {
    const soon = new Date(Date.now() + 5 * 60_000).toISOString();
    const later = new Date(Date.now() + 20 * 60_000).toISOString();
    const answers = await results(
      [
        vital({ kind: 'body_temperature', unit: '[degF]', value: 37 }),
        vital({ kind: 'blood_pressure', unit: 'mm[Hg]', value: 120 }),
        vital({ kind: 'heart_rate', unit: '/min', value: 72, value2: 60 }),
        vital({ kind: 'Temp', unit: 'Cel', value: 37 }),
        vital({ kind: 'heart_rate', unit: '/min', value: 72, recorded_at: later }),
        vital({ kind: 'heart_rate', unit: '/min', value: 72, recorded_at: soon }),
      ],
      3,
      clinician,
    );
    expect(answers).toEqual([
      'rejected:invalid_event',
      'rejected:invalid_event',
      'rejected:invalid_event',
      'rejected:invalid_event',
      'rejected:invalid_event',
      'applied',
    ]);
  });

  it('refuses times FHIR R4 cannot express (year 0000, ten fractional digits, an offset past 14 hours) and takes their neighbours', async () => {
    const at = (recorded_at: string) => vital({ kind: 'heart_rate', unit: '/min', value: 72, recorded_at });
    const visit = (starts_at: string) =>
      insertEvent('appointments', rows.appointment(org.teamId, patientId, { starts_at }));
    const answers = await results(
      [
        at('0000-01-01T00:00:00Z'),
        at('2026-03-02T09:05:00.1234567890Z'),
        at('2026-03-02T09:05:00+14:30'),
        visit('2026-03-02T09:05:00-15:00'),
        at('0001-01-01T00:00:00Z'),
        at('2026-03-02T09:05:00.123456789Z'),
        at('2026-03-02T09:05:00+14:00'),
        visit('2026-03-02T09:05:00-14:00'),
      ],
      3,
      admin,
    );
    expect(answers).toEqual([...Array(4).fill('rejected:invalid_event'), ...Array(4).fill('applied')]);
  });

  it('marks a vital and a medication entered in error with a reason; the entry stays and version 3 pulls show the mark', async () => {
    const wrong = vital({ kind: 'body_temperature', unit: 'Cel', value: 38.2 });
    const medication = insertEvent('medications', rows.medication(patientId));
    expect(await results([wrong, medication], 3, clinician)).toEqual(['applied', 'applied']);
    const marks = [
      updateEvent('vitals', wrong.recordId, 1, { entered_in_error: true, error_reason: 'Wrong patient' }),
      updateEvent('medications', medication.recordId, 1, { entered_in_error: true, error_reason: 'Typed twice' }),
    ];
    expect(await results(marks, 3, clinician)).toEqual(['applied', 'applied']);
    expect((await seenAt(3, wrong.recordId))!).toMatchObject({
      op: 'UPSERT',
      data: { entered_in_error: true, error_reason: 'Wrong patient', value: 38.2 },
    });
    expect((await seenAt(3, medication.recordId))!).toMatchObject({
      op: 'UPSERT',
      data: { entered_in_error: true, error_reason: 'Typed twice' },
    });
    // An older client could only show the entry as a valid measurement: it receives it as deleted.
    expect((await seenAt(2, wrong.recordId))!).toMatchObject({ op: 'DELETE', data: null });
    expect((await seenAt(1, medication.recordId))!).toMatchObject({ op: 'DELETE' });
    const tooLong = updateEvent('vitals', wrong.recordId, 2, { error_reason: 'x'.repeat(501) });
    expect(await results([tooLong], 3, clinician)).toEqual(['rejected:invalid_event']);
  });

  it('keeps clinic numbers unique per organization, also within one batch, but not across organizations', async () => {
    const taken = insertEvent('patients', rows.patient(org.organizationId, { identifier: 'RC-0001' }));
    const a = insertEvent('patients', rows.patient(org.organizationId, { identifier: 'RC-0002' }));
    const b = insertEvent('patients', rows.patient(org.organizationId, { identifier: 'RC-0002' }));
    const elsewhere = insertEvent('patients', rows.patient(otherOrg.organizationId, { identifier: 'RC-0001' }));
    const answers = await pushAt([taken, a, b, elsewhere], 3, admin);
    expect(answers.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
      'duplicate_identifier',
      'applied',
      'duplicate_identifier',
      'applied',
    ]);
    expect((answers[0] as Rejected).details).toMatchObject({ field: 'identifier' });
    const renumber = updateEvent('patients', a.recordId, 1, { identifier: 'RC-0001' });
    expect(await results([renumber], 3)).toEqual(['rejected:duplicate_identifier']);
    expect(
      await results([insertEvent('patients', rows.patient(org.organizationId, { identifier: 'x'.repeat(33) }))], 3),
    ).toEqual(['rejected:invalid_event']);
  });

  it('refuses birth dates in the future or before 1900, accepts today and 1900-01-01', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    const answers = await results(
      ['1899-12-31', tomorrow, '2030-01-01', '1900-01-01', today].map((birth_date) =>
        insertEvent('patients', rows.patient(org.organizationId, { birth_date })),
      ),
      3,
    );
    expect(answers).toEqual([
      'rejected:invalid_event',
      'rejected:invalid_event',
      'rejected:invalid_event',
      'applied',
      'applied',
    ]);
  });

  it('judges a birth date by the calendar of the clinic that wrote it, as its createdAt says', async () => {
    // A clinic at UTC+14 writes now: its date is tomorrow in UTC from 10:00 UTC on.
    const at = new Date();
    const stamp = `${new Date(at.getTime() + 14 * 3_600_000).toISOString().slice(0, 19)}+14:00`;
    const utcTomorrow = new Date(at.getTime() + 86_400_000).toISOString().slice(0, 10);
    const ofToday = stamp.slice(0, 10) === utcTomorrow ? 'applied' : 'rejected:invalid_event';
    const stamped = (createdAt: string, birth_date: string) => ({
      ...insertEvent('patients', rows.patient(org.organizationId, { birth_date })),
      createdAt,
    });
    const farAhead = `${new Date(at.getTime() + 3 * 86_400_000).toISOString().slice(0, 19)}+14:00`;
    expect(
      await results(
        [
          stamped(stamp, utcTomorrow),
          stamped(at.toISOString(), utcTomorrow),
          // A stamp days ahead of the server's clock is not believed.
          stamped(farAhead, farAhead.slice(0, 10)),
        ],
        3,
      ),
    ).toEqual([ofToday, 'rejected:invalid_event', 'rejected:invalid_event']);
  });

  it('maps a version 1 or 2 vital to its code where the meaning is certain; version 3 pulls see the code', async () => {
    const temp = vital({ kind: 'Temp', unit: '°C', value: 38.2 });
    const pulse = vital({ kind: 'Pulse', unit: 'bpm', value: 72 });
    const spo2 = vital({ kind: 'SpO2', unit: '%', value: 97 });
    expect(await results([temp, pulse], 1, clinician)).toEqual(['applied', 'applied']);
    expect(await results([spo2], 2, clinician)).toEqual(['applied']);
    expect((await seenAt(3, temp.recordId))!.data).toMatchObject({
      kind: 'body_temperature',
      unit: 'Cel',
      value: 38.2,
    });
    expect((await seenAt(3, pulse.recordId))!.data).toMatchObject({ kind: 'heart_rate', unit: '/min' });
    expect((await seenAt(2, spo2.recordId))!.data).toMatchObject({ kind: 'oxygen_saturation', unit: '%', value: 97 });
    expect((await seenAt(2, spo2.recordId))!.data).not.toHaveProperty('entered_in_error');
  });

  it('refuses with a reason what a version 1 or 2 vital cannot mean for certain, and its hard range still applies', async () => {
    const events = [
      vital({ kind: 'BP', unit: 'mmHg', value: 12080 }),
      vital({ kind: 'Blood pressure', unit: 'mmHg', value: 120 }),
      vital({ kind: 'Temp', unit: 'F', value: 100.4 }),
      vital({ kind: 'Mood', unit: 'points', value: 3 }),
      vital({ kind: 'temperature', unit: 'C', value: 382 }),
    ];
    const answers = await pushAt(events, 2);
    expect(answers.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
      'invalid_event',
      'invalid_event',
      'invalid_event',
      'invalid_event',
      'out_of_range',
    ]);
    expect((answers[0] as Rejected).message).toMatch(/systolic and diastolic/);
    expect((answers[0] as Rejected).details).toMatchObject({ field: 'kind' });
    expect((answers[2] as Rejected).details).toMatchObject({ field: 'unit' });
    // A version 2 client cannot name the new columns.
    expect(await results([vital({ kind: 'pulse', unit: 'bpm', value: 70, value2: 1 })], 2)).toEqual([
      'rejected:unknown_field',
    ]);
  });

  it('sends a version 3 blood pressure to an older client with both numbers, and refuses its edits of the values', async () => {
    const bp = vital({ kind: 'blood_pressure', unit: 'mm[Hg]', value: 132, value2: 85 });
    expect(await results([bp], 3, clinician)).toEqual(['applied']);
    const old = (await seenAt(2, bp.recordId))!;
    expect(old.data).toMatchObject({ kind: 'blood_pressure 132/85', value: 132, unit: 'mm[Hg]' });
    expect(old.data).not.toHaveProperty('value2');
    expect(await results([updateEvent('vitals', bp.recordId, 1, { value: 140 })], 2, clinician)).toEqual([
      'rejected:invalid_event',
    ]);
    // Its other fields stay editable, and the version 3 values survive the edit.
    expect(
      await results([updateEvent('vitals', bp.recordId, 1, { recorded_at: '2026-03-02T10:00:00Z' })], 2, clinician),
    ).toEqual(['applied']);
    expect((await seenAt(3, bp.recordId))!.data).toMatchObject({
      value: 132,
      value2: 85,
      recorded_at: '2026-03-02T10:00:00Z',
    });
  });

  it('an older client edit of a patient keeps the clinic number a version 3 client gave it', async () => {
    const id = randomUUID();
    expect(
      await results([insertEvent('patients', rows.patient(org.organizationId, { identifier: 'RC-0100' }), id)], 3),
    ).toEqual(['applied']);
    expect(await results([updateEvent('patients', id, 1, { phone: '0911234567' })], 1)).toEqual(['applied']);
    const v1 = (await seenAt(1, id))!;
    expect(v1.data).not.toHaveProperty('identifier');
    expect((await seenAt(3, id))!.data).toMatchObject({ identifier: 'RC-0100', phone: '0911234567' });
  });
});
