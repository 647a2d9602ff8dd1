/**
 * Property (PROTOCOL §3 "identically on SQLite and PostgreSQL", §7 "the same
 * HTTP contract" on the edge): two servers holding the same rows answer the
 * same batches with the same results, and then serve the same rows in the
 * same order. Batches mix valid and hostile events over a small pool of
 * records, so inserts, merges, conflicts, tombstones, duplicates, reused
 * event ids, clinic-number clashes, hard ranges and unstorable values all
 * meet. Node: SQLite against PostgreSQL (skipped without PostgreSQL). With
 * CLINICSYNC_TEST_RUNTIME=edge: the edge runtime against Node on SQLite.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { freshPostgresDatabase, requirePostgres } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import { insertEvent, push, pushResults, rows, type PushEvent } from './support/orgs.ts';
import { startServerProcess, TEST_RUNTIME, type ServerProcess } from './support/server-process.ts';

const ORG = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const TEAM = '7a2e3d4c-5b6f-4071-9b8c-0d1e2f3a4b5c';
const MEMBER = '8b3f4e5d-6c70-4182-8c9d-1e2f3a4b5c6d';
/** Record ids the batches draw from: the first patient exists before the property starts. */
const POOL = {
  patients: [
    '9c405f6e-7d81-4293-9dae-2f3a4b5c6d7e',
    'ad516a7f-8e92-43a4-8ebf-3a4b5c6d7e8f',
    'be627b80-9fa3-44b5-9fc0-4b5c6d7e8f90',
  ],
  appointments: ['cf738c91-a0b4-45c6-a0d1-5c6d7e8f90a1', 'd0849da2-b1c5-46d7-b1e2-6d7e8f90a1b2'],
  vitals: ['e195aeb3-c2d6-47e8-82f3-7e8f90a1b2c3', 'f2a6bfc4-d3e7-48f9-9304-8f90a1b2c3d4'],
  medications: ['03b7c0d5-e4f8-490a-a415-90a1b2c3d4e5', '14c8d1e6-f509-4a1b-b526-a1b2c3d4e5f6'],
} as const;
type PoolTable = keyof typeof POOL;

const pair: { name: string; start: () => Promise<[ServerProcess, ServerProcess]> } | undefined =
  TEST_RUNTIME === 'edge'
    ? {
        name: 'edge and Node on SQLite',
        start: async () => Promise.all([startServerProcess(), startServerProcess({ runtime: 'node' })]),
      }
    : requirePostgres()
      ? {
          name: 'SQLite and PostgreSQL',
          start: async () => {
            const url = await freshPostgresDatabase();
            return Promise.all([startServerProcess(), startServerProcess({ db: url })]);
          },
        }
      : undefined;

/** Values a database may choke on, next to ordinary ones. */
const hostile = fc.oneof(
  fc.constantFrom('a\u0000b', '\ud800', '', '   ', 'x'.repeat(201), 2 ** 31, -1, 1e308, 0.5, null, true, [], {}),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
/** Mostly `valid`, sometimes hostile, so most events get past validation to the steps after it. */
const mostly = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostile });
const text = mostly(fc.constantFrom('Amina', 'Okafor', 'Ward 3', "O'Brien; DROP TABLE patients"));
const fieldValues: Record<PoolTable, Record<string, fc.Arbitrary<unknown>>> = {
  patients: {
    given_name: text,
    family_name: text,
    phone: mostly(fc.constantFrom('555-0100', '555-0199')),
    notes: text,
    identifier: mostly(fc.constantFrom('RC-1', 'RC-2', 'rc-1', 'x'.repeat(33))),
    birth_date: fc.oneof(
      fc.constantFrom('1900-01-01', '1899-12-31', '1980-02-29', '1981-02-29', '2999-01-01'),
      hostile,
    ),
    sex: mostly(fc.constantFrom('female', 'male', 'F')),
    organization_id: fc.constantFrom(ORG, '25d9e2f7-061a-4b2c-8637-b2c3d4e5f607'),
  },
  appointments: {
    patient_id: fc.constantFrom(...POOL.patients),
    team_id: fc.constantFrom(TEAM, '36eaf308-172b-4c3d-9748-c3d4e5f60718'),
    starts_at: mostly(fc.constantFrom('2026-03-02T09:00:00Z', '0000-01-01T00:00:00Z', 'soon')),
    duration_min: mostly(fc.constantFrom(1, 20, 0, 1440)),
    status: mostly(fc.constantFrom('booked', 'arrived', 'noshow', 'lost')),
    reason: text,
  },
  vitals: {
    patient_id: fc.constantFrom(...POOL.patients),
    value: mostly(fc.constantFrom(19.99, 20, 72, 300, 300.01, 120)),
    value2: mostly(fc.constantFrom(80, 20, 200, 201, 120)),
    unit: mostly(fc.constantFrom('/min', 'mm[Hg]', 'bpm')),
    kind: mostly(fc.constantFrom('heart_rate', 'blood_pressure', 'pulse')),
    entered_in_error: mostly(fc.boolean()),
    error_reason: mostly(fc.constantFrom('wrong patient', 'x'.repeat(501))),
  },
  medications: {
    patient_id: fc.constantFrom(...POOL.patients),
    dose: text,
    status: mostly(fc.constantFrom('active', 'stopped', 'paused')),
    entered_in_error: mostly(fc.boolean()),
    error_reason: text,
  },
};
const baseRow: Record<PoolTable, (patientId: string) => Record<string, unknown>> = {
  patients: () => rows.patient(ORG),
  appointments: (patientId) => rows.appointment(TEAM, patientId),
  vitals: (patientId) => ({
    patient_id: patientId,
    kind: 'heart_rate',
    unit: '/min',
    value: 72,
    recorded_at: '2026-03-02T09:05:00Z',
  }),
  medications: (patientId) => rows.medication(patientId),
};

/** One event over the pool; eventIds are drawn too, so both servers see the very same batch (re-sends included). */
const eventArb: fc.Arbitrary<PushEvent> = fc
  .constantFrom<PoolTable>('patients', 'appointments', 'vitals', 'medications')
  .chain((table) =>
    fc.record({
      // Now and then an eventId already used, with other content: event_id_reused.
      eventId: fc.oneof(
        { weight: 15, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: fc.constantFrom(...POOL.vitals) },
      ),
      table: fc.constant(table),
      op: fc.constantFrom('INSERT', 'INSERT', 'UPDATE', 'UPDATE', 'DELETE'),
      recordId: fc.constantFrom(...POOL[table]),
      baseVersion: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) },
        { weight: 1, arbitrary: hostile },
      ),
      patientId: fc.oneof({ weight: 3, arbitrary: fc.constant(POOL.patients[0]) }, fc.constantFrom(...POOL.patients)),
      fields: fc.dictionary(fc.constantFrom(...Object.keys(fieldValues[table])), fc.constant(null), {
        minKeys: 1,
        maxKeys: 2,
      }),
      values: fc.tuple(...Object.values(fieldValues[table])),
    }),
  )
  .map(({ eventId, table, op, recordId, baseVersion, patientId, fields, values }) => {
    const names = Object.keys(fieldValues[table]);
    // An UPDATE changes at least one field (an empty one is refused before anything else is looked at).
    const picked = Object.keys(fields).length > 0 || op === 'INSERT' ? Object.keys(fields) : [names[0]!];
    const changed = Object.fromEntries(picked.map((name) => [name, values[names.indexOf(name)]]));
    const data = op === 'INSERT' ? { ...baseRow[table](patientId), ...changed } : changed;
    return {
      eventId,
      table,
      op,
      recordId,
      baseVersion: op === 'INSERT' && typeof baseVersion === 'number' ? 0 : baseVersion,
      ...(op === 'DELETE' ? {} : { data }),
      createdAt: '2026-03-02T09:00:00Z',
    } as PushEvent;
  });

/** A batch; sometimes its first event is sent again at the end (a re-send: duplicate). */
const batchArb = fc
  .tuple(fc.array(eventArb, { minLength: 1, maxLength: 8 }), fc.boolean())
  .map(([events, resend]) => (resend ? [...events, events[0]!] : events));

/** What must be identical: everything but the server time, timestamps and the (per-server) user ids. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !['serverTime', 'updated_at', 'updated_by', 'message', 'cursor'].includes(key))
      .map(([key, inner]) => [key, comparable(inner)]),
  );
}

const describePair = pair ? describe : describe.skip;

describePair(`the same batches get the same answers (${pair?.name ?? 'PostgreSQL not configured'})`, () => {
  let servers: [ServerProcess, ServerProcess];
  let people: [SignedUpUser, SignedUpUser];

  beforeAll(async () => {
    servers = await pair!.start();
    people = (await Promise.all(servers.map((s) => signUp(s.url)))) as [SignedUpUser, SignedUpUser];
    const setup = await Promise.all(
      servers.map((server, i) =>
        pushResults(
          server.url,
          people[i]!,
          [
            insertEvent('organizations', { name: 'Riverside Clinic' }, ORG),
            insertEvent('members', { organization_id: ORG, user_id: people[i]!.userId, role: 'admin' }, MEMBER),
            insertEvent('teams', { organization_id: ORG, name: 'Outpatients' }, TEAM),
            insertEvent('patients', rows.patient(ORG, { identifier: 'RC-0' }), POOL.patients[0]),
          ],
          { schemaVersion: 3 },
        ),
      ),
    );
    for (const results of setup) expect(results.map((r) => r.status)).toEqual(Array(4).fill('applied'));
  }, 120_000);
  afterAll(() => Promise.all((servers ?? []).map((s) => s.stop())));

  it('answers every batch alike, event by event', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async (events) => {
        const [a, b] = await Promise.all(
          servers.map((server, i) => push(server.url, people[i]!, events, { schemaVersion: 3 })),
        );
        expect(b!.status, JSON.stringify(b!.body)).toBe(a!.status);
        expect(a!.status).not.toBe(500);
        expect(comparable(b!.body)).toEqual(comparable(a!.body));
      }),
      { numRuns: Number(process.env.CLINICSYNC_PROPERTY_RUNS ?? 80) },
    );
  }, 300_000);

  it('then serves the same rows, in the same order', async () => {
    const pulls = await Promise.all(
      servers.map((server, i) =>
        call(server.url, 'GET', `/v1/sync/pull?deviceId=${people[i]!.deviceId}&schemaVersion=3&limit=5000`, {
          token: people[i]!.syncToken,
        }),
      ),
    );
    const changes = pulls.map((res) => {
      expect(res.status).toBe(200);
      // The admin row names each server's own person; every other row is the same.
      return comparable(res.body.changes.filter((c: { table: string }) => c.table !== 'members'));
    });
    expect(changes[1]).toEqual(changes[0]);
  });
});
