/**
 * Black-box bootstrap (PROTOCOL §3 "Bootstrap") against the real server
 * process on SQLite and PostgreSQL: one push creates an organization, its
 * creator's admin row and its first rows wherever the admin row stands in
 * the batch and whatever the case of its ids; when the admin row is refused,
 * every event of the new organization, also those reaching it through its
 * teams and patients, is `bootstrap_incomplete` and nothing of it exists.
 */
import { randomUUID } from 'node:crypto';
import type { EventResult } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import {
  insertEvent,
  openServerDatabase,
  pushResults,
  rows,
  updateEvent,
  type PushEvent,
  type ServerDatabase,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describeEachDialect('push bootstrap', (dialect) => {
  let server: ServerProcess;
  let db: ServerDatabase;
  let alice!: SignedUpUser;

  beforeAll(async () => {
    const pgUrl = dialect.name === 'postgres' ? await dialect.databaseUrl() : undefined;
    server = await startServerProcess(pgUrl ? { db: pgUrl } : {});
    db = await openServerDatabase(server, pgUrl);
    alice = await signUp(server.url);
  });
  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  const statuses = (results: readonly EventResult[]) =>
    results.map((r) => (r.status === 'rejected' ? `rejected:${r.code}` : r.status));

  /** A new organization's events: the organization, its creator's admin row, a team, a patient and their rows. */
  function newOrganization(admin: Record<string, unknown> = {}) {
    const organizationId = randomUUID();
    const teamId = randomUUID();
    const patientId = randomUUID();
    return {
      organizationId,
      organization: insertEvent('organizations', { name: 'Lakeside Clinic' }, organizationId),
      admin: insertEvent('members', {
        organization_id: organizationId,
        user_id: alice.userId,
        role: 'admin',
        ...admin,
      }),
      team: insertEvent('teams', { organization_id: organizationId, name: 'Outpatients' }, teamId),
      patient: insertEvent('patients', rows.patient(organizationId), patientId),
      appointment: insertEvent('appointments', rows.appointment(teamId, patientId)),
      vital: insertEvent('vitals', {
        patient_id: patientId,
        kind: 'heart_rate',
        unit: '/min',
        value: 72,
        recorded_at: '2026-03-02T09:05:00Z',
      }),
      medication: insertEvent('medications', rows.medication(patientId)),
      patientEdit: updateEvent('patients', patientId, 1, { phone: '555-0100' }),
    };
  }

  async function pulledOrganizations(): Promise<string[]> {
    const res = await call(server.url, 'GET', `/v1/sync/pull?deviceId=${alice.deviceId}&schemaVersion=3&limit=5000`, {
      token: alice.syncToken,
    });
    expect(res.status).toBe(200);
    return res.body.changes.map((c: { organizationId: string }) => c.organizationId);
  }

  it.each([
    ['first', (o: ReturnType<typeof newOrganization>) => [o.admin, o.organization, o.team, o.patient]],
    [
      'after the rows it makes reachable',
      (o: ReturnType<typeof newOrganization>) => [o.organization, o.team, o.patient, o.admin],
    ],
    ['in the middle', (o: ReturnType<typeof newOrganization>) => [o.organization, o.team, o.admin, o.patient]],
  ])('creates the organization with its admin row %s in the batch', async (_where, order) => {
    const o = newOrganization();
    const events: PushEvent[] = order(o);
    expect(statuses(await pushResults(server.url, alice, events, { schemaVersion: 3 }))).toEqual(
      events.map(() => 'applied'),
    );
    expect(await db.rows('members', { column: 'organization_id', value: o.organizationId })).toMatchObject([
      { user_id: alice.userId, role: 'admin' },
    ]);
    expect(await pulledOrganizations()).toContain(o.organizationId);
  });

  it.each([
    ['after its team', (o: ReturnType<typeof newOrganization>, admin: PushEvent) => [o.organization, o.team, admin]],
    ['before its team', (o: ReturnType<typeof newOrganization>, admin: PushEvent) => [o.organization, admin, o.team]],
    ['first', (o: ReturnType<typeof newOrganization>, admin: PushEvent) => [admin, o.organization, o.team]],
  ])('creates the organization with an admin row on its first team sent %s', async (_where, order) => {
    const o = newOrganization();
    const admin = { ...o.admin, data: { ...o.admin.data, team_id: o.team.recordId } };
    const events = order(o, admin);
    expect(statuses(await pushResults(server.url, alice, events, { schemaVersion: 3 }))).toEqual(
      events.map(() => 'applied'),
    );
    expect(await db.rows('members', { column: 'organization_id', value: o.organizationId })).toMatchObject([
      { team_id: o.team.recordId, role: 'admin' },
    ]);
  });

  it('creates the organization when its ids are sent in capitals (ids compare without regard to case)', async () => {
    const o = newOrganization();
    const upper = (id: string) => id.toUpperCase();
    const events = [
      { ...o.organization, recordId: upper(o.organizationId) },
      { ...o.admin, data: { ...o.admin.data, organization_id: upper(o.organizationId), user_id: upper(alice.userId) } },
      { ...o.team, data: { ...o.team.data, organization_id: upper(o.organizationId) } },
    ];
    expect(statuses(await pushResults(server.url, alice, events, { schemaVersion: 3 }))).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    expect(await db.rows('members', { column: 'organization_id', value: o.organizationId })).toMatchObject([
      { user_id: alice.userId, role: 'admin' },
    ]);
  });

  it.each([
    ['naming a team that does not exist', { team_id: randomUUID() }],
    ['with a field the registry does not know', { nickname: 'boss' }],
    ['with a malformed team', { team_id: 'ward-3' }],
  ])(
    'refuses every event of the organization when its admin row is refused (%s), also those reaching it through its teams and patients',
    async (_why, admin) => {
      const o = newOrganization(admin);
      const unrelated = newOrganization();
      const before = await db.dump();
      const events = [
        o.organization,
        o.team,
        o.patient,
        o.admin,
        o.appointment,
        o.vital,
        o.medication,
        o.patientEdit,
        unrelated.organization,
        unrelated.admin,
      ];
      const results = await pushResults(server.url, alice, events, { schemaVersion: 3 });
      expect(statuses(results)).toEqual([...Array(8).fill('rejected:bootstrap_incomplete'), 'applied', 'applied']);
      for (const table of ['organizations', 'teams', 'patients'] as const) {
        const column = table === 'organizations' ? 'id' : 'organization_id';
        expect(await db.rows(table, { column, value: o.organizationId })).toEqual([]);
      }
      for (const [table, event] of [
        ['appointments', o.appointment],
        ['vitals', o.vital],
        ['medications', o.medication],
      ] as const)
        expect(await db.rows(table, { column: 'id', value: event.recordId })).toEqual([]);
      expect(await db.rows('change_log', { column: 'organization_id', value: o.organizationId })).toEqual([]);
      expect(await pulledOrganizations()).not.toContain(o.organizationId);
      // Only the unrelated organization was written.
      const after = await db.dump();
      expect(after.organizations!.length).toBe(before.organizations!.length + 1);
    },
  );

  it('answers the events of an existing organization as usual beside an invalid INSERT of it with an admin row', async () => {
    const o = newOrganization();
    expect(
      statuses(await pushResults(server.url, alice, [o.organization, o.admin, o.team], { schemaVersion: 3 })),
    ).toEqual(['applied', 'applied', 'applied']);
    const again = newOrganization();
    const events = [
      { ...o.organization, eventId: again.organization.eventId, data: { name: 'x'.repeat(201) } },
      { ...again.admin, data: { ...again.admin.data, organization_id: o.organizationId } },
      o.patient,
    ];
    expect(statuses(await pushResults(server.url, alice, events, { schemaVersion: 3 }))).toEqual([
      'rejected:invalid_event',
      'rejected:forbidden',
      'applied',
    ]);
  });

  it("refuses the rest of a new organization as bootstrap_incomplete when its own INSERT is refused, keeping that INSERT's reason", async () => {
    const o = newOrganization();
    const events = [{ ...o.organization, data: { name: 'x'.repeat(201) } }, o.admin, o.team, o.patient, o.appointment];
    const results = await pushResults(server.url, alice, events, { schemaVersion: 3 });
    expect(statuses(results)).toEqual(['rejected:invalid_event', ...Array(4).fill('rejected:bootstrap_incomplete')]);
    expect(await db.rows('organizations', { column: 'id', value: o.organizationId })).toEqual([]);
  });
});
