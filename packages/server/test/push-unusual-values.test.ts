/**
 * Values of an unusual but possible shape (docs/protocol-clarifications.md
 * "Unusual values"): each is stored right or refused per event, identically
 * on every runtime, never a 500. A required name must show something (blanks
 * or zero-width characters alone are no name); a clinic number is never blank
 * and has no blanks around it, so two patients without one never clash and
 * `" K7QM9X-0042"` never passes for a second number; a leap second, 24:00, a
 * 30 February and an id in braces are `invalid_event`. Against the real
 * server process.
 */
import { randomUUID } from 'node:crypto';
import type { EventResult } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import { createOrganization, insertEvent, pushResults, rows, type CreatedOrganization } from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describeEachDialect('push: unusual values (black box)', (dialect) => {
  let server: ServerProcess;
  let alice: SignedUpUser;
  let org: CreatedOrganization;

  beforeAll(async () => {
    server = await startServerProcess(dialect.name === 'postgres' ? { db: await dialect.databaseUrl() } : {});
    alice = await signUp(server.url);
    org = await createOrganization(server.url, alice);
  }, 60_000);
  afterAll(() => server?.stop());

  const statuses = (results: readonly EventResult[]) =>
    results.map((r) => (r.status === 'rejected' ? `rejected:${r.code}` : r.status));
  const patient = (extra: Record<string, unknown>) => insertEvent('patients', rows.patient(org.organizationId, extra));
  const push = async (...events: ReturnType<typeof patient>[]) =>
    statuses(await pushResults(server.url, alice, events, { schemaVersion: 3 }));

  it('refuses a required name made only of blanks or characters no screen shows', async () => {
    for (const name of ['   ', '\u00a0', '\u200b', '\u200b\u200d', '\u3164', '\u00ad']) {
      expect([JSON.stringify(name), ...(await push(patient({ given_name: name })))]).toEqual([
        JSON.stringify(name),
        'rejected:invalid_event',
      ]);
    }
    expect(await push(patient({ given_name: 'Zoë', family_name: 'N’Diaye' }))).toEqual(['applied']);
  });

  it('refuses a person or a device named only by characters no screen shows, at registration and sign-in', async () => {
    const register = await call(server.url, 'POST', '/v1/auth/register', {
      body: {
        email: `user-${randomUUID()}@example.test`,
        password: 'correct horse battery staple',
        name: '\u200b\u200b',
      },
    });
    expect([register.status, register.body.error?.code]).toEqual([400, 'invalid_request']);
    const signIn = await call(server.url, 'POST', '/v1/auth/sign-in', {
      body: { email: alice.email, password: alice.password, deviceId: randomUUID(), deviceName: '\u2060' },
    });
    expect([signIn.status, signIn.body.error?.code]).toEqual([400, 'invalid_request']);
  });

  it('refuses a blank clinic number or one with blanks around it, so two patients without one never clash', async () => {
    expect(await push(patient({ identifier: '' }), patient({ identifier: '' }))).toEqual([
      'rejected:invalid_event',
      'rejected:invalid_event',
    ]);
    const number = `T${randomUUID().slice(0, 5).toUpperCase()}-0001`;
    expect(await push(patient({ identifier: number }))).toEqual(['applied']);
    for (const padded of [` ${number}`, `${number} `, `${number}\u200b`, '\t']) {
      expect(await push(patient({ identifier: padded }))).toEqual(['rejected:invalid_event']);
    }
    // Two patients with no number at all are two patients.
    expect(await push(patient({ identifier: null }), patient({}))).toEqual(['applied', 'applied']);
  });

  it('refuses times and dates that do not exist, and ids in braces, as invalid events', async () => {
    const appointment = (startsAt: string) =>
      insertEvent('appointments', rows.appointment(org.teamId, randomUUID(), { starts_at: startsAt }));
    const results = await pushResults(
      server.url,
      alice,
      [
        appointment('2026-12-31T23:59:60Z'),
        appointment('2026-12-02T24:00:00Z'),
        appointment('2026-02-30T10:00:00Z'),
        patient({ birth_date: '2026-02-30' }),
        patient({ birth_date: '2023-02-29' }),
        insertEvent('patients', rows.patient(org.organizationId), `{${randomUUID()}}`),
        insertEvent('patients', rows.patient(`{${org.organizationId}}`)),
      ],
      { schemaVersion: 3 },
    );
    expect(statuses(results)).toEqual(new Array(7).fill('rejected:invalid_event'));
  });

  it('keeps a time written with +00:00 as sent, and serves it as valid FHIR', async () => {
    const patientId = randomUUID();
    const vital = insertEvent('vitals', {
      patient_id: patientId,
      kind: 'heart_rate',
      unit: '/min',
      value: 72,
      recorded_at: '2026-03-02T09:05:00+00:00',
    });
    expect(
      statuses(
        await pushResults(
          server.url,
          alice,
          [insertEvent('patients', rows.patient(org.organizationId), patientId), vital],
          { schemaVersion: 3 },
        ),
      ),
    ).toEqual(['applied', 'applied']);
    const read = await call(server.url, 'GET', `/v1/orgs/${org.organizationId}/fhir/r4/Observation/${vital.recordId}`, {
      token: alice.authToken,
    });
    expect([read.status, read.body.effectiveDateTime]).toEqual([200, '2026-03-02T09:05:00+00:00']);
  });
});
