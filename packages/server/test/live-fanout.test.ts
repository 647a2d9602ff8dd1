/**
 * One write, many waiting devices (PROTOCOL §4 "Live", docs/protocol.md
 * "Live pull"): the woken pulls of an instance read together in one
 * snapshot, so this checks that sharing changes nobody's answer. People in
 * different organizations and teams, each with several devices of different
 * schema versions and page sizes, hold waiting pulls; ONE push then writes
 * into every organization and may remove one of them from one organization.
 * Every waiting pull must be woken and answer exactly what a plain pull from
 * the same cursor gives right after (changes, hasMore, revoked organizations,
 * the very cursor), and nothing of an organization its person no longer
 * belongs to. On one SQLite server, and with PostgreSQL on two instances
 * with the devices spread over both (the second woken through
 * LISTEN/NOTIFY). fast-check picks the memberships, teams, shapes and the
 * removal; CLINICSYNC_PROPERTY_SEED replays a failure.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, signUp, type SignedUpUser } from './support/accounts.ts';
import { freshPostgresDatabase, requirePostgres } from './support/dialects.ts';
import { pull, pullToEnd, until, waitingPulls, type PullAnswer } from './support/live.ts';
import {
  addMember,
  createOrganization,
  deleteEvent,
  insertEvent,
  pushApplied,
  rows,
  type CreatedOrganization,
  type PushSession,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const PEOPLE = 4;
const DEVICES_PER_PERSON = 2;
const ORGANIZATIONS = 3;
const DEVICES = PEOPLE * DEVICES_PER_PERSON;
// Long enough that an answer at the timeout (a wake-up that never came) cannot pass for a woken one: it has no news.
const WAIT_SECONDS = 20;

type Device = PushSession & { readonly person: number };

const scenario = fc.record({
  people: fc.array(
    fc.record({
      // Every person is in at least one organization of the round, so every device has something to be woken for.
      organizations: fc.subarray([0, 1, 2], { minLength: 1 }),
      teams: fc.array(fc.nat(1), { minLength: ORGANIZATIONS, maxLength: ORGANIZATIONS }),
      role: fc.constantFrom('clinician' as const, 'receptionist' as const),
    }),
    { minLength: PEOPLE, maxLength: PEOPLE },
  ),
  devices: fc.array(fc.record({ schemaVersion: fc.constantFrom(1, 3), limit: fc.constantFrom(1, 2, 1000) }), {
    minLength: DEVICES,
    maxLength: DEVICES,
  }),
  appointmentTeams: fc.array(fc.nat(1), { minLength: ORGANIZATIONS, maxLength: ORGANIZATIONS }),
  removal: fc.option(fc.record({ person: fc.nat(PEOPLE - 1), organization: fc.nat(ORGANIZATIONS - 1) })),
});

function fanoutSuite(title: string, enabled: boolean, start: () => Promise<ServerProcess[]>): void {
  describe.skipIf(!enabled)(title, () => {
    let servers: ServerProcess[] = [];
    let admin: SignedUpUser;
    let people: SignedUpUser[];
    let devices: Device[];
    beforeAll(async () => {
      servers = await start();
      const base = servers[0]!.url;
      admin = await signUp(base);
      people = await Promise.all(Array.from({ length: PEOPLE }, () => signUp(base)));
      devices = [];
      for (const [person, user] of people.entries()) {
        devices.push({ userId: user.userId, deviceId: user.deviceId, syncToken: user.syncToken, person });
        for (let more = 1; more < DEVICES_PER_PERSON; more++) {
          const deviceId = randomUUID();
          const signed = await signIn(base, { email: user.email, password: user.password, deviceId });
          devices.push({ userId: user.userId, deviceId, syncToken: signed.syncToken, person });
        }
      }
    }, 180_000);
    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
    });

    const serverOf = (index: number) => servers[index % servers.length]!.url;
    const held = async () => (await Promise.all(servers.map((s) => waitingPulls(s.url)))).reduce((a, b) => a + b, 0);

    it('answers every woken device exactly what a plain pull from its cursor gives', async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async (round) => {
          const base = servers[0]!.url;
          // This round's organizations, each with a second team.
          const organizations: CreatedOrganization[] = [];
          for (let o = 0; o < ORGANIZATIONS; o++) organizations.push(await createOrganization(base, admin));
          const wards = organizations.map(() => randomUUID());
          await pushApplied(
            base,
            admin,
            organizations.map((org, o) =>
              insertEvent('teams', { organization_id: org.organizationId, name: 'Ward' }, wards[o]),
            ),
          );
          const teams = organizations.map((org, o) => [org.teamId, wards[o]!]);
          const memberships = new Map<string, string>();
          for (const [p, person] of round.people.entries())
            for (const o of person.organizations)
              memberships.set(
                `${p}/${o}`,
                await addMember(
                  base,
                  admin,
                  organizations[o]!.organizationId,
                  people[p]!,
                  person.role,
                  teams[o]![person.teams[o]!],
                ),
              );

          // Every device caught up, then waiting, spread over the instances.
          const shapes = devices.map((_, i) => round.devices[i]!);
          const cursors = await Promise.all(
            devices.map((d, i) => pullToEnd(serverOf(i), d, undefined, { schemaVersion: shapes[i]!.schemaVersion })),
          );
          const before = await held();
          const waits = devices.map((d, i) =>
            pull(serverOf(i), d, { cursor: cursors[i]!, wait: WAIT_SECONDS, ...shapes[i]! }),
          );
          await until(`the servers hold ${DEVICES} waiting pulls`, async () => (await held()) >= before + DEVICES);

          // One push: a patient and an appointment in every organization, and perhaps one person removed from one.
          const events = organizations.flatMap((org, o) => {
            const patientId = randomUUID();
            return [
              insertEvent('patients', rows.patient(org.organizationId), patientId),
              insertEvent('appointments', rows.appointment(teams[o]![round.appointmentTeams[o]!]!, patientId)),
            ];
          });
          const removed = round.removal && memberships.get(`${round.removal.person}/${round.removal.organization}`);
          if (removed) events.push(deleteEvent('members', removed, 1));
          await pushApplied(base, admin, events);

          const answers = await Promise.all(waits);
          for (const [i, device] of devices.entries()) {
            const answer = answers[i]!;
            expect(answer.status).toBe(200);
            const alone = await pull(serverOf(i), device, { cursor: cursors[i]!, ...shapes[i]! });
            expect(alone.status).toBe(200);
            expect(answer.body, `device ${i} of person ${device.person}`).toEqual(alone.body);
            expectRightFor(answer.body, device.person);
          }

          function expectRightFor(page: PullAnswer, person: number): void {
            const gone =
              removed && round.removal!.person === person
                ? organizations[round.removal!.organization]!.organizationId
                : undefined;
            // Woken, not timed out: something of this round is in it.
            expect(page.changes.length > 0 || page.revokedOrganizations.length > 0).toBe(true);
            if (gone) expect(page.revokedOrganizations).toEqual([gone]);
            else expect(page.revokedOrganizations).toEqual([]);
            const mine = new Set(
              round.people[person]!.organizations.map((o) => organizations[o]!.organizationId).filter(
                (id) => id !== gone,
              ),
            );
            const thisRound = new Set(organizations.map((org) => org.organizationId));
            for (const change of page.changes)
              if (thisRound.has(change.organizationId)) expect(mine.has(change.organizationId)).toBe(true);
          }
        }),
        {
          numRuns: 4,
          ...(process.env.CLINICSYNC_PROPERTY_SEED ? { seed: Number(process.env.CLINICSYNC_PROPERTY_SEED) } : {}),
        },
      );
    }, 300_000);
  });
}

const LIMITS = { CLINICSYNC_MAX_WAITING_PULLS_PER_USER: '50' };

fanoutSuite('many waiting devices, one write, on one server', true, async () => [
  await startServerProcess({ env: LIMITS }),
]);

fanoutSuite(
  'many waiting devices, one write, on two instances over PostgreSQL',
  Boolean(requirePostgres()),
  async () => {
    const db = await freshPostgresDatabase();
    return Promise.all([startServerProcess({ db, env: LIMITS }), startServerProcess({ db, env: LIMITS })]);
  },
);
