/**
 * Property (PROTOCOL §3, 2026-12 "No content ever answers 500"): whatever a
 * client puts in a request — NUL characters (PostgreSQL refuses them, SQLite
 * accepts them), lone surrogates, numbers beyond a column's range, outbox
 * counts beyond 2^31−1, absurd versions — the real server answers it per
 * event or as 400, never 500, and the same way on SQLite and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import {
  createOrganization,
  insertEvent,
  push,
  pushApplied,
  rows,
  type CreatedOrganization,
  type PushEvent,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

/** Strings a database may choke on, mixed with ordinary ones. */
const nasty = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\u0000'.repeat(3), '😀\u0000', 'Amina', ''),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 8 }).map((s) => `${s}\u0000${s}`),
);
/** Numbers beyond every column's range, and ordinary ones. */
const big = fc.oneof(
  fc.constantFrom(
    2 ** 31,
    2 ** 31 - 1,
    -(2 ** 31) - 1,
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    1e308,
    -1e308,
    5e-324,
    0.5,
    20,
    72,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
/** Outbox counts: mostly ordinary (so the events are looked at), sometimes beyond an integer column. */
const count = fc.oneof({ weight: 6, arbitrary: fc.nat(1000) }, { weight: 1, arbitrary: big });
const anyValue = fc.oneof(
  nasty,
  big,
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 2 }),
  fc.dictionary(nasty, nasty, { maxKeys: 2 }),
);

type Target = { org: CreatedOrganization; patientId: string };

function eventFor(target: Target): fc.Arbitrary<PushEvent> {
  const { org, patientId } = target;
  const patient = fc
    .record({
      field: fc.constantFrom('given_name', 'family_name', 'phone', 'notes', 'address', 'birth_date', 'sex'),
      value: anyValue,
    })
    .map(({ field, value }) => insertEvent('patients', rows.patient(org.organizationId, { [field]: value })));
  const appointment = fc
    .record({ field: fc.constantFrom('duration_min', 'starts_at', 'reason', 'status'), value: anyValue })
    .map(({ field, value }) =>
      insertEvent('appointments', rows.appointment(org.teamId, patientId, { [field]: value })),
    );
  const vital = fc
    .record({ field: fc.constantFrom('value', 'kind', 'unit', 'recorded_at'), value: anyValue })
    .map(({ field, value }) => insertEvent('vitals', rows.vital(patientId, { [field]: value })));
  const update = fc
    .record({ field: fc.constantFrom('notes', 'phone', 'given_name'), value: anyValue, baseVersion: big })
    .map(({ field, value, baseVersion }) => ({
      eventId: randomUUID(),
      table: 'patients',
      op: 'UPDATE',
      recordId: patientId,
      baseVersion,
      data: { [field]: value },
      createdAt: new Date().toISOString(),
    }));
  const envelope = fc
    .record({
      table: fc.oneof(nasty, fc.constant('patients')),
      op: fc.oneof(nasty, fc.constant('DELETE')),
      recordId: fc.oneof(nasty, fc.constant(patientId)),
      baseVersion: big,
      key: nasty,
      createdAt: anyValue,
    })
    .map(
      ({ table, op, recordId, baseVersion, key, createdAt }) =>
        ({
          eventId: randomUUID(),
          table,
          op,
          recordId,
          baseVersion,
          data: { [key]: 'x' },
          createdAt,
        }) as unknown as PushEvent,
    );
  return fc.oneof(patient, appointment, vital, update, envelope);
}

describeEachDialect('no content ever answers 500', (dialect) => {
  let server: ServerProcess;
  let alice: SignedUpUser;
  let target: Target;

  beforeAll(async () => {
    server = await startServerProcess(dialect.name === 'postgres' ? { db: await dialect.databaseUrl() } : {});
    alice = await signUp(server.url, { name: 'Alice' });
    const org = await createOrganization(server.url, alice);
    const patient = insertEvent('patients', rows.patient(org.organizationId));
    await pushApplied(server.url, alice, [patient]);
    target = { org, patientId: patient.recordId };
  }, 60_000);
  afterAll(() => server?.stop());

  it('answers every push per event or as 400, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventFor(target), { minLength: 1, maxLength: 6 }),
        fc.record({ pending: count, openConflicts: count, deadLetters: count }),
        fc.option(nasty, { nil: undefined }),
        async (events, counts, appVersion) => {
          const outbox = {
            pending: Math.abs(Math.trunc(counts.pending)),
            openConflicts: Math.abs(Math.trunc(counts.openConflicts)),
            deadLetters: Math.abs(Math.trunc(counts.deadLetters)),
          };
          const res = await push(server.url, alice, events, {
            outbox,
            ...(appVersion !== undefined && { appVersion }),
          });
          expect(res.status, JSON.stringify(res.body)).not.toBe(500);
          if (res.status === 200) expect(res.body.results).toHaveLength(events.length);
          else expect(res.status).toBe(400);
        },
      ),
      { numRuns: Number(process.env.CLINICSYNC_PROPERTY_RUNS ?? 60) },
    );
  }, 120_000);

  it('refuses a NUL character per event, and a count beyond 2^31−1 as 400, writing nothing', async () => {
    const nul = insertEvent('patients', rows.patient(target.org.organizationId, { notes: 'before\u0000after' }));
    const ok = insertEvent('patients', rows.patient(target.org.organizationId, { notes: 'fine' }));
    const res = await push(server.url, alice, [nul, ok]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
      'invalid_event',
      'applied',
    ]);
    const tooMany = await push(server.url, alice, [insertEvent('patients', rows.patient(target.org.organizationId))], {
      outbox: { pending: 2 ** 31 },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ error: { code: 'invalid_request' } });
    const huge = insertEvent(
      'appointments',
      rows.appointment(target.org.teamId, target.patientId, { duration_min: 2 ** 31 }),
    );
    expect((await push(server.url, alice, [huge])).body.results[0]).toMatchObject({
      status: 'rejected',
      code: 'invalid_event',
    });
  });

  it('answers accounts and sign-in with NUL characters as 400, never 500', async () => {
    for (const body of [
      { email: `nul-${randomUUID()}@example.test`, password: 'correct horse battery staple', name: 'Ann\u0000' },
      { email: `nul\u0000-${randomUUID()}@example.test`, password: 'correct horse battery staple', name: 'Ann' },
    ]) {
      const res = await call(server.url, 'POST', '/v1/auth/register', { body });
      expect(res.status).toBe(400);
    }
    const signIn = await call(server.url, 'POST', '/v1/auth/sign-in', {
      body: { email: alice.email, password: alice.password, deviceId: randomUUID(), deviceName: 'Front\u0000desk' },
    });
    expect(signIn.status).toBe(400);
  });

  it('answers deeply nested bodies on every JSON route as 400, and a nested value inside one event per event', async () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const raw = async (path: string, text: string, token?: string) =>
      fetch(new URL(path, server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: text,
      });
    for (const depth of [300, 5_000, 100_000]) {
      const deep = nested(depth);
      const bodies: [string, string, string?][] = [
        [
          '/v1/sync/push',
          `{"deviceId":"${alice.deviceId}","schemaVersion":3,"events":[],"x":${deep}}`,
          alice.syncToken,
        ],
        ['/v1/auth/register', `{"email":"deep@example.test","password":"correct horse battery","name":${deep}}`],
        ['/v1/auth/sign-in', `{"email":"${alice.email}","password":${deep},"deviceId":"${randomUUID()}"}`],
        ['/v1/auth/refresh', `{"refreshToken":${deep}}`],
      ];
      for (const [path, text, token] of bodies) {
        const res = await raw(path, text, token);
        expect(res.status, `${path} at depth ${depth}`).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
      }
    }
    const odd = {
      ...insertEvent('patients', rows.patient(target.org.organizationId)),
      data: { notes: [[[[[['x']]]]]] },
    };
    const ok = insertEvent('patients', rows.patient(target.org.organizationId));
    const res = await push(server.url, alice, [odd as PushEvent, ok]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
      'invalid_event',
      'applied',
    ]);
  });
});
