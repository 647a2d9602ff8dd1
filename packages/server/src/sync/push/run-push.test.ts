import { randomUUID } from 'node:crypto';
import type { EventId, EventResult, OrganizationId, Role } from '@clinicsync/protocol';
import { countActiveMemberships } from '../../auth/memberships.ts';
import type { Capabilities } from '../../db/capabilities.ts';
import { acceptInvitation } from '../../invitations/accept-invitation.ts';
import { createInvitation } from '../../invitations/create-invitation.ts';
import { DEFAULT_INVITATION_RULES } from '../../invitations/invitation-rules.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/dialects.ts';
import { testDeps, type TestDeps } from '../../../test/support/test-deps.ts';
import type { Actor } from './event-types.ts';
import { runPush } from './run-push.ts';

type RawEvent = {
  eventId: string;
  table: string;
  op: string;
  recordId: string;
  baseVersion: number;
  data?: Record<string, unknown>;
  createdAt: string;
};

function ev(
  table: string,
  op: string,
  recordId: string,
  baseVersion: number,
  data?: Record<string, unknown>,
): RawEvent {
  return {
    eventId: randomUUID(),
    table,
    op,
    recordId,
    baseVersion,
    ...(data ? { data } : {}),
    createdAt: '2026-01-01T00:00:00Z',
  };
}

describeEachDialect('runPush', (dialect) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await testDeps({ url: await dialect.databaseUrl() });
  });
  afterAll(() => deps.database.close());

  async function newActor(): Promise<Actor> {
    const userId = randomUUID();
    await deps.db
      .insertInto('users')
      .values({
        id: userId,
        email: `${userId}@example.test`,
        name: 'U',
        password_hash: 'x',
        created_at: '2026-01-01T00:00:00Z',
      })
      .execute();
    return { userId, deviceId: randomUUID() };
  }

  async function push(actor: Actor, events: RawEvent[]): Promise<EventResult[]> {
    return runPush(deps, {
      actor,
      schemaVersion: 1,
      events: events.map((raw) => ({ eventId: raw.eventId as EventId, raw })),
    });
  }

  async function bootstrap(actor: Actor) {
    const org = randomUUID();
    const member = randomUUID();
    const team = randomUUID();
    const results = await push(actor, [
      ev('organizations', 'INSERT', org, 0, { name: 'Clinic' }),
      ev('members', 'INSERT', member, 0, { organization_id: org, user_id: actor.userId, role: 'admin' }),
      ev('teams', 'INSERT', team, 0, { organization_id: org, name: 'Outpatients' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    return { org, member, team };
  }

  /** `user` joins `org` with `role` the only way there is: invited by email, then accepting. Returns the membership id. */
  async function join(org: string, user: Actor, role: Role): Promise<string> {
    const now = deps.clock.now();
    // Invited by an admin of the organization, as the route requires.
    const admin = await deps.db
      .selectFrom('members')
      .select('user_id')
      .where('organization_id', '=', org)
      .where('role', '=', 'admin')
      .where('deleted', '=', 0)
      .executeTakeFirstOrThrow();
    const invited = await createInvitation(
      { ...deps, rules: DEFAULT_INVITATION_RULES },
      {
        organizationId: org as OrganizationId,
        invitedBy: String(admin.user_id),
        request: { email: `${user.userId}@example.test`, role },
        now,
      },
    );
    expect(invited.kind).toBe('invited');
    const accepted = await acceptInvitation(deps, {
      invitationId: invited.kind === 'invited' ? invited.invitationId : '',
      userId: user.userId,
      deviceId: user.deviceId,
      now,
    });
    expect(accepted.kind).toBe('accepted');
    const row = await deps.db
      .selectFrom('members')
      .select('id')
      .where('organization_id', '=', org)
      .where('user_id', '=', user.userId)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const statuses = (results: readonly EventResult[]) =>
    results.map((r) => (r.status === 'rejected' ? `rejected:${r.code}` : r.status));

  it('bootstraps an organization with its admin and first team, logging each change under its own seq', async () => {
    const actor = await newActor();
    const { org } = await bootstrap(actor);
    const log = await deps.db
      .selectFrom('change_log')
      .selectAll()
      .where('organization_id', '=', org)
      .orderBy('seq')
      .execute();
    expect(log.map((r) => [r.table_name, Number(r.seq), r.op])).toEqual([
      ['organizations', 1, 'UPSERT'],
      ['members', 2, 'UPSERT'],
      ['teams', 3, 'UPSERT'],
    ]);
    // The log names each record without copying it (pull reads the record itself).
    expect(log[0]).not.toHaveProperty('data');
    const seq = await deps.db
      .selectFrom('org_seq')
      .select('last_seq')
      .where('organization_id', '=', org)
      .executeTakeFirstOrThrow();
    expect(Number(seq.last_seq)).toBe(3);
    const audit = await deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('organization_id', '=', org)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => [a.op, Number(a.seq), a.before, a.device_id])).toEqual([
      ['INSERT', 1, null, actor.deviceId],
      ['INSERT', 2, null, actor.deviceId],
      ['INSERT', 3, null, actor.deviceId],
    ]);
  });

  it('never bootstraps an organization that already exists', async () => {
    const owner = await newActor();
    const { org } = await bootstrap(owner);
    const intruder = await newActor();
    const results = await push(intruder, [
      ev('organizations', 'INSERT', org, 0, { name: 'Mine now' }),
      ev('members', 'INSERT', randomUUID(), 0, { organization_id: org, user_id: intruder.userId, role: 'admin' }),
    ]);
    expect(statuses(results)).toEqual(['rejected:already_exists', 'rejected:forbidden']);
  });

  it('does not bootstrap without the organization INSERT in the same batch', async () => {
    const actor = await newActor();
    const org = randomUUID();
    expect(statuses(await push(actor, [ev('organizations', 'INSERT', org, 0, { name: 'X' })]))).toEqual([
      'rejected:forbidden',
    ]);
    expect(
      statuses(
        await push(actor, [
          ev('members', 'INSERT', randomUUID(), 0, { organization_id: org, user_id: actor.userId, role: 'admin' }),
        ]),
      ),
    ).toEqual(['rejected:not_found']);
  });

  it('answers a re-sent event as a duplicate with its original outcome, also within one batch', async () => {
    const actor = await newActor();
    const { org } = await bootstrap(actor);
    const insert = ev('patients', 'INSERT', randomUUID(), 0, {
      organization_id: org,
      given_name: 'A',
      family_name: 'B',
    });
    const first = await push(actor, [insert, insert]);
    expect(first[0]).toEqual({ eventId: insert.eventId, status: 'applied', version: 1 });
    expect(first[1]).toEqual({
      eventId: insert.eventId,
      status: 'duplicate',
      original: { status: 'applied', version: 1 },
    });
    const again = await push(actor, [{ ...insert, data: { given_name: 'A', family_name: 'B', organization_id: org } }]);
    expect(again[0]).toEqual({
      eventId: insert.eventId,
      status: 'duplicate',
      original: { status: 'applied', version: 1 },
    });
  });

  // Byte for byte: a duplicate's `original` is the first answer without its eventId, for every kind of outcome,
  // also when many events share one outcome text (the ledger reads each text once) and within the first batch.
  it("answers a re-sent batch with each event's first outcome, exactly as it was first answered", async () => {
    const actor = await newActor();
    const { org } = await bootstrap(actor);
    const patient = randomUUID();
    const batch = [
      ev('patients', 'INSERT', patient, 0, { organization_id: org, given_name: 'A', family_name: 'B' }),
      ...Array.from({ length: 3 }, () =>
        ev('patients', 'INSERT', randomUUID(), 0, { organization_id: org, given_name: 'C', family_name: 'D' }),
      ),
      ev('patients', 'UPDATE', patient, 1, { phone: '1' }),
      ev('patients', 'UPDATE', patient, 1, { given_name: 'Stale' }),
      ev('patients', 'INSERT', randomUUID(), 0, { organization_id: org, nope: 1 }),
      ev('vitals', 'INSERT', randomUUID(), 0, { patient_id: randomUUID() }),
    ];
    const first = await push(actor, [...batch, batch[5]!]);
    expect(statuses(first)).toEqual([
      ...Array(5).fill('applied'),
      'conflict',
      'rejected:unknown_field',
      expect.stringMatching(/^rejected:/),
      'duplicate',
    ]);
    const expected = batch.map((event, index) => {
      const { eventId: _, ...original } = first[index]!;
      return JSON.stringify({ eventId: event.eventId, status: 'duplicate', original });
    });
    expect(JSON.stringify(first[8])).toBe(expected[5]);
    for (const again of [await push(actor, batch), await push(actor, [...batch].reverse())]) {
      const byId = new Map(again.map((result) => [result.eventId, JSON.stringify(result)]));
      expect(batch.map((event) => byId.get(event.eventId as EventId))).toEqual(expected);
    }
  });

  it('refuses a reused eventId with other content or from another user', async () => {
    const actor = await newActor();
    const { org } = await bootstrap(actor);
    const insert = ev('patients', 'INSERT', randomUUID(), 0, {
      organization_id: org,
      given_name: 'A',
      family_name: 'B',
    });
    await push(actor, [insert]);
    expect(statuses(await push(actor, [{ ...insert, data: { ...insert.data, given_name: 'C' } }]))).toEqual([
      'rejected:event_id_reused',
    ]);
    expect(statuses(await push(await newActor(), [insert]))).toEqual(['rejected:event_id_reused']);
  });

  it('merges disjoint stale edits and refuses clashing ones without writing', async () => {
    const actor = await newActor();
    const { org } = await bootstrap(actor);
    const id = randomUUID();
    await push(actor, [ev('patients', 'INSERT', id, 0, { organization_id: org, given_name: 'A', family_name: 'B' })]);
    const results = await push(actor, [
      ev('patients', 'UPDATE', id, 1, { phone: '111' }),
      ev('patients', 'UPDATE', id, 1, { address: 'Main St' }),
      ev('patients', 'UPDATE', id, 1, { phone: '222' }),
      ev('patients', 'UPDATE', id, 1, { given_name: 'Z' }),
    ]);
    expect(statuses(results)).toEqual(['applied', 'applied', 'conflict', 'conflict']);
    expect(results[2]).toMatchObject({
      serverVersion: 3,
      fields: ['phone'],
      serverRecord: { id, phone: '111', address: 'Main St', given_name: 'A', version: 3, deleted: false },
    });
    const row = await deps.db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([row.phone, row.address, row.given_name, row.version]).toEqual(['111', 'Main St', 'A', 3]);
    const log = await deps.db
      .selectFrom('change_log')
      .selectAll()
      .where('organization_id', '=', org)
      .where('record_id', '=', id)
      .execute();
    expect(log).toHaveLength(1);
    expect(log[0]!.version).toBe(3);
    const audit = await deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('organization_id', '=', org)
      .where('record_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.op)).toEqual(['INSERT', 'UPDATE', 'UPDATE']);
    // The audit of an UPDATE keeps only the fields it changed, before and after.
    expect(JSON.parse(audit[1]!.before!)).toEqual({ phone: null });
    expect(JSON.parse(audit[1]!.after!)).toEqual({ phone: '111' });
    expect(JSON.parse(audit[2]!.before!)).toEqual({ address: null });
    expect(JSON.parse(audit[2]!.after!)).toEqual({ address: 'Main St' });
  });

  it('deletes as a tombstone and then treats the record as gone', async () => {
    const actor = await newActor();
    const { org } = await bootstrap(actor);
    const id = randomUUID();
    await push(actor, [ev('patients', 'INSERT', id, 0, { organization_id: org, given_name: 'A', family_name: 'B' })]);
    const results = await push(actor, [
      ev('patients', 'DELETE', id, 1),
      ev('patients', 'UPDATE', id, 2, { phone: '1' }),
      ev('patients', 'DELETE', id, 2),
    ]);
    expect(statuses(results)).toEqual(['applied', 'rejected:not_found', 'rejected:not_found']);
    const row = await deps.db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([row.deleted, row.version, row.given_name]).toEqual([1, 2, 'A']);
    const log = await deps.db
      .selectFrom('change_log')
      .selectAll()
      .where('organization_id', '=', org)
      .where('record_id', '=', id)
      .executeTakeFirstOrThrow();
    expect([log.op, log.version]).toEqual(['DELETE', 2]);
    // A tombstoned parent is missing for new children.
    expect(
      statuses(
        await push(actor, [
          ev('vitals', 'INSERT', randomUUID(), 0, {
            patient_id: id,
            kind: 'pulse',
            value: 70,
            unit: 'bpm',
            recorded_at: '2026-01-01T00:00:00Z',
          }),
        ]),
      ),
    ).toEqual(['rejected:not_found']);
  });

  it('keeps the last admin', async () => {
    const actor = await newActor();
    const { org, member } = await bootstrap(actor);
    expect(
      statuses(
        await push(actor, [
          ev('members', 'UPDATE', member, 1, { role: 'clinician' }),
          ev('members', 'DELETE', member, 1),
        ]),
      ),
    ).toEqual(['rejected:last_admin', 'rejected:last_admin']);
    const other = await newActor();
    const second = await join(org, other, 'admin');
    expect(statuses(await push(actor, [ev('members', 'UPDATE', member, 1, { role: 'clinician' })]))).toEqual([
      'applied',
    ]);
    // Leaving is allowed to any member, but not to the last admin.
    expect(statuses(await push(other, [ev('members', 'DELETE', second, 1)]))).toEqual(['rejected:last_admin']);
    expect(statuses(await push(actor, [ev('members', 'DELETE', member, 2)]))).toEqual(['applied']);
  });

  it("creates nothing of an organization whose creator's admin row is refused: each of its events is bootstrap_incomplete", async () => {
    const actor = await newActor();
    const org = randomUUID();
    const team = randomUUID();
    const patient = randomUUID();
    const fine = randomUUID();
    const events = [
      // Sent first, taken right after its organization, and refused there (its team does not exist), so the
      // organization must not exist either.
      ev('members', 'INSERT', randomUUID(), 0, {
        organization_id: org,
        user_id: actor.userId,
        role: 'admin',
        team_id: randomUUID(),
      }),
      ev('organizations', 'INSERT', org, 0, { name: 'Clinic' }),
      ev('teams', 'INSERT', team, 0, { organization_id: org, name: 'Ward' }),
      ev('patients', 'INSERT', patient, 0, { organization_id: org, given_name: 'Amina', family_name: 'Okafor' }),
      ev('appointments', 'INSERT', randomUUID(), 0, {
        team_id: team,
        patient_id: patient,
        starts_at: '2026-03-02T09:00:00Z',
        duration_min: 20,
        status: 'booked',
      }),
      ev('patients', 'UPDATE', patient, 1, { phone: '1' }),
      // Another organization of the same batch, bootstrapped properly, is not affected.
      ev('organizations', 'INSERT', fine, 0, { name: 'Other' }),
      ev('members', 'INSERT', randomUUID(), 0, { organization_id: fine, user_id: actor.userId, role: 'admin' }),
    ];
    const results = await push(actor, events);
    expect(statuses(results)).toEqual([...Array(6).fill('rejected:bootstrap_incomplete'), 'applied', 'applied']);
    expect(await deps.db.selectFrom('organizations').select('id').where('id', '=', org).execute()).toEqual([]);
    for (const table of ['teams', 'patients', 'members'] as const) {
      expect(await deps.db.selectFrom(table).select('id').where('organization_id', '=', org).execute()).toEqual([]);
    }
    expect(await deps.db.selectFrom('org_seq').select('last_seq').where('organization_id', '=', org).execute()).toEqual(
      [],
    );
    expect(await deps.db.selectFrom('change_log').select('seq').where('organization_id', '=', org).execute()).toEqual(
      [],
    );
    // A re-send is answered with the same refusal.
    const again = await push(actor, events.slice(0, 2));
    expect(again.map((r) => (r.status === 'duplicate' ? r.original : r))).toMatchObject([
      { status: 'rejected', code: 'bootstrap_incomplete' },
      { status: 'rejected', code: 'bootstrap_incomplete' },
    ]);
  });

  it.each([
    ['an unknown field', { bogus: 1 }],
    ['a malformed team', { team_id: 'nope' }],
  ])("refuses the whole organization when its creator's admin row is itself invalid (%s)", async (_, extra) => {
    const actor = await newActor();
    const org = randomUUID();
    const results = await push(actor, [
      ev('organizations', 'INSERT', org, 0, { name: 'Clinic' }),
      ev('members', 'INSERT', randomUUID(), 0, {
        organization_id: org,
        user_id: actor.userId,
        role: 'admin',
        ...extra,
      }),
      ev('teams', 'INSERT', randomUUID(), 0, { organization_id: org, name: 'Ward' }),
      ev('patients', 'INSERT', randomUUID(), 0, { organization_id: org, given_name: 'Amina', family_name: 'Okafor' }),
    ]);
    expect(statuses(results)).toEqual(Array(4).fill('rejected:bootstrap_incomplete'));
    expect(await deps.db.selectFrom('organizations').select('id').where('id', '=', org).execute()).toEqual([]);
  });

  it('ends every membership of a deleted organization, in its change log', async () => {
    const actor = await newActor();
    const { org } = await bootstrap(actor);
    const colleague = await newActor();
    await join(org, colleague, 'clinician');
    expect(statuses(await push(actor, [ev('organizations', 'DELETE', org, 1)]))).toEqual(['applied']);
    const members = await deps.db
      .selectFrom('members')
      .select(['deleted', 'version'])
      .where('organization_id', '=', org)
      .execute();
    expect(members.map((m) => [Number(m.deleted), Number(m.version)])).toEqual([
      [1, 2],
      [1, 2],
    ]);
    const log = await deps.db
      .selectFrom('change_log')
      .select(['table_name', 'op'])
      .where('organization_id', '=', org)
      .where('table_name', '=', 'members')
      .execute();
    expect(log.map((r) => r.op)).toEqual(['DELETE', 'DELETE']);
    expect(await countActiveMemberships(deps.db, colleague.userId)).toBe(0);
  });

  it('lets two admins demoting each other in one batch keep one of them', async () => {
    const actor = await newActor();
    const { org, member } = await bootstrap(actor);
    const second = await join(org, await newActor(), 'admin');
    expect(
      statuses(
        await push(actor, [
          ev('members', 'UPDATE', second, 1, { role: 'clinician' }),
          ev('members', 'UPDATE', member, 1, { role: 'clinician' }),
        ]),
      ),
    ).toEqual(['applied', 'rejected:last_admin']);
  });

  it("takes no members INSERT but the creator's own admin row: people join by invitation", async () => {
    const actor = await newActor();
    const { org } = await bootstrap(actor);
    const stranger = await newActor();
    const results = await push(actor, [
      ev('members', 'INSERT', randomUUID(), 0, { organization_id: org, user_id: actor.userId, role: 'clinician' }),
      ev('members', 'INSERT', randomUUID(), 0, { organization_id: org, user_id: stranger.userId, role: 'clinician' }),
      ev('members', 'INSERT', randomUUID(), 0, { organization_id: org, user_id: randomUUID(), role: 'admin' }),
    ]);
    expect(statuses(results)).toEqual(['rejected:forbidden', 'rejected:forbidden', 'rejected:forbidden']);
    expect(await deps.db.selectFrom('members').select('id').where('organization_id', '=', org).execute()).toHaveLength(
      1,
    );
  });

  it('keeps cross-references inside one organization', async () => {
    const a = await newActor();
    const b = await newActor();
    const orgA = await bootstrap(a);
    const orgB = await bootstrap(b);
    const patientA = randomUUID();
    await push(a, [
      ev('patients', 'INSERT', patientA, 0, { organization_id: orgA.org, given_name: 'A', family_name: 'B' }),
    ]);
    // B's team, A's patient: B is a member of the scope (B) but the patient is elsewhere.
    const appointment = {
      patient_id: patientA,
      team_id: orgB.team,
      starts_at: '2026-02-01T09:00:00Z',
      duration_min: 15,
      status: 'booked',
    };
    expect(statuses(await push(b, [ev('appointments', 'INSERT', randomUUID(), 0, appointment)]))).toEqual([
      'rejected:cross_organization',
    ]);
    // A's appointment moving to B's team.
    const appt = randomUUID();
    await push(a, [ev('appointments', 'INSERT', appt, 0, { ...appointment, team_id: orgA.team })]);
    expect(statuses(await push(a, [ev('appointments', 'UPDATE', appt, 1, { team_id: orgB.team })]))).toEqual([
      'rejected:cross_organization',
    ]);
    expect(statuses(await push(a, [ev('members', 'UPDATE', orgA.member, 1, { team_id: orgB.team })]))).toEqual([
      'rejected:cross_organization',
    ]);
    expect(statuses(await push(a, [ev('patients', 'UPDATE', patientA, 1, { organization_id: orgB.org })]))).toEqual([
      'rejected:immutable_field',
    ]);
  });

  /** The database's multi-row INSERTs, throwing at the `nth` into `table` as a driver error with `code` would. */
  function failingInsert(table: string, nth: number, code: string): Capabilities['bulkInsert'] {
    let seen = 0;
    return {
      rowsPerStatement: (columns) => deps.caps.bulkInsert.rowsPerStatement(columns),
      statement(into, columns, rows, upsert) {
        if (into === table && ++seen === nth) throw Object.assign(new Error('injected failure'), { code });
        return deps.caps.bulkInsert.statement(into, columns, rows, upsert);
      },
    };
  }

  it('leaves nothing behind when the batch fails half-way', async () => {
    const actor = await newActor();
    const { org } = await bootstrap(actor);
    const dump = async () => ({
      log: await deps.db
        .selectFrom('change_log')
        .selectAll()
        .where('organization_id', '=', org)
        .orderBy('seq')
        .execute(),
      audit: await deps.db.selectFrom('audit_log').select('seq').where('organization_id', '=', org).execute(),
      seq: await deps.db.selectFrom('org_seq').selectAll().where('organization_id', '=', org).execute(),
      patients: await deps.db.selectFrom('patients').select('id').where('organization_id', '=', org).execute(),
      events: await deps.db
        .selectFrom('applied_events')
        .select('event_id')
        .where('user_id', '=', actor.userId)
        .execute(),
    });
    const before = await dump();
    const events = [1, 2, 3].map(() =>
      ev('patients', 'INSERT', randomUUID(), 0, { organization_id: org, given_name: 'A', family_name: 'B' }),
    );
    // The audit rows are among the batch's last writes: its rows, sequence numbers and change log are written by then.
    const broken = { ...deps, caps: { ...deps.caps, bulkInsert: failingInsert('audit_log', 1, 'EINJECTED') } };
    await expect(
      runPush(broken, {
        actor,
        schemaVersion: 1,
        events: events.map((raw) => ({ eventId: raw.eventId as EventId, raw })),
      }),
    ).rejects.toThrow('injected failure');
    expect(await dump()).toEqual(before);
  });

  it('retries the whole batch after a transient failure and applies each event once', async () => {
    const actor = await newActor();
    const { org } = await bootstrap(actor);
    const events = [1, 2].map(() =>
      ev('patients', 'INSERT', randomUUID(), 0, { organization_id: org, given_name: 'A', family_name: 'B' }),
    );
    const flaky = {
      ...deps,
      // The first attempt's change-log write fails; the rerun's succeeds.
      caps: {
        ...deps.caps,
        bulkInsert: failingInsert('change_log', 1, 'ETRANSIENT'),
        isRetryable: (error: unknown) => (error as { code?: string }).code === 'ETRANSIENT',
      },
    };
    // The request's other writes (the outbox report) run in the attempt that commits, inside its transaction.
    const alsoRan: boolean[] = [];
    const results = await runPush(flaky, {
      actor,
      schemaVersion: 1,
      events: events.map((raw) => ({ eventId: raw.eventId as EventId, raw })),
      alsoInTransaction: async (trx) => {
        alsoRan.push(trx.isTransaction);
      },
    });
    expect(statuses(results)).toEqual(['applied', 'applied']);
    expect(alsoRan).toEqual([true]);
    const audit = await deps.db
      .selectFrom('audit_log')
      .select('record_id')
      .where('organization_id', '=', org)
      .where('table_name', '=', 'patients')
      .execute();
    expect(audit.map((a) => a.record_id).sort()).toEqual(events.map((e) => e.recordId).sort());
  });
});
