/**
 * UUIDs are case-insensitive (RFC 9562): an id in capitals names the same
 * thing as its lowercase spelling on every route, and no row can exist twice
 * under two spellings of one id (docs/protocol-clarifications.md "Ids and
 * their letter case"). A client that upper-cases ids, or re-sends an event
 * with its ids in other case, gets the answers a lowercase client gets: a
 * re-send is a `duplicate`, never `event_id_reused`. Push, pull, the admin
 * routes and FHIR, against the real server process.
 */
import { randomUUID } from 'node:crypto';
import type { EventResult } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import {
  createOrganization,
  insertEvent,
  pushResults,
  rows,
  updateEvent,
  type CreatedOrganization,
  type PushEvent,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describeEachDialect('ids in any letter case (black box)', (dialect) => {
  let server: ServerProcess;
  let alice: SignedUpUser;
  let org: CreatedOrganization;

  beforeAll(async () => {
    server = await startServerProcess(dialect.name === 'postgres' ? { db: await dialect.databaseUrl() } : {});
    alice = await signUp(server.url);
    org = await createOrganization(server.url, alice);
  }, 60_000);
  afterAll(() => server?.stop());

  const upper = (id: string) => id.toUpperCase();
  const statuses = (results: readonly EventResult[]) =>
    results.map((r) => (r.status === 'rejected' ? `rejected:${r.code}` : r.status));
  const push = (events: readonly PushEvent[]) => pushResults(server.url, alice, events, { schemaVersion: 3 });

  it('answers a re-sent event as a duplicate whatever the case of its eventId, recordId or references', async () => {
    const patientId = randomUUID();
    const first = insertEvent('patients', rows.patient(org.organizationId), patientId);
    expect(statuses(await push([first]))).toEqual(['applied']);

    const resends: PushEvent[] = [
      { ...first, eventId: upper(first.eventId) },
      { ...first, recordId: upper(patientId) },
      { ...first, data: { ...first.data, organization_id: upper(org.organizationId) } },
      {
        ...first,
        eventId: upper(first.eventId),
        recordId: upper(patientId),
        data: { ...first.data, organization_id: upper(org.organizationId) },
      },
    ];
    for (const resend of resends) {
      const [result] = await push([resend]);
      expect(result).toEqual({
        eventId: first.eventId,
        status: 'duplicate',
        original: { status: 'applied', version: 1 },
      });
    }
    // Other content under the same eventId, in any case, is still a reuse.
    const reused = await push([
      { ...first, eventId: upper(first.eventId), data: rows.patient(org.organizationId, { given_name: 'Ada' }) },
    ]);
    expect(statuses(reused)).toEqual(['rejected:event_id_reused']);
  });

  it('answers a re-sent event first sent in capitals as a duplicate when it comes back in lowercase', async () => {
    const patientId = upper(randomUUID());
    const first = insertEvent('patients', rows.patient(upper(org.organizationId)), patientId);
    first.eventId = upper(first.eventId);
    expect(statuses(await push([first]))).toEqual(['applied']);
    const lower: PushEvent = {
      ...first,
      eventId: first.eventId.toLowerCase(),
      recordId: patientId.toLowerCase(),
      data: rows.patient(org.organizationId),
    };
    expect(statuses(await push([lower]))).toEqual(['duplicate']);
  });

  it('keeps one record under both spellings of its id: an edit by the other spelling is an edit of it', async () => {
    const patientId = randomUUID();
    expect(statuses(await push([insertEvent('patients', rows.patient(org.organizationId), upper(patientId))]))).toEqual(
      ['applied'],
    );
    // A second INSERT under the lowercase spelling does not make a second row.
    const twin = await push([insertEvent('patients', rows.patient(org.organizationId), patientId)]);
    expect(twin[0]!.status).not.toBe('applied');
    expect(statuses(await push([updateEvent('patients', patientId, 1, { phone: '555-0100' })]))).toEqual(['applied']);
    expect(statuses(await push([updateEvent('patients', upper(patientId), 2, { phone: '555-0101' })]))).toEqual([
      'applied',
    ]);

    const pulled = await call(
      server.url,
      'GET',
      `/v1/sync/pull?deviceId=${upper(alice.deviceId)}&schemaVersion=3&limit=5000`,
      { token: alice.syncToken },
    );
    expect(pulled.status).toBe(200);
    const mine = pulled.body.changes.filter((c: { recordId: string }) => c.recordId.toLowerCase() === patientId);
    expect(mine.map((c: { recordId: string; version: number }) => [c.recordId, c.version])).toEqual([[patientId, 3]]);
    expect(mine[0].organizationId).toBe(org.organizationId);
  });

  it('refuses an id that is no UUID as written (braces, urn:uuid:) instead of repairing it', async () => {
    const id = randomUUID();
    for (const spelling of [`{${id}}`, `urn:uuid:${id}`]) {
      expect(statuses(await push([insertEvent('patients', rows.patient(org.organizationId), spelling)]))).toEqual([
        'rejected:invalid_event',
      ]);
      const audit = await call(
        server.url,
        'GET',
        `/v1/orgs/${org.organizationId}/audit?recordId=${encodeURIComponent(spelling)}`,
        {
          token: alice.authToken,
        },
      );
      expect([audit.status, audit.body.error?.code]).toEqual([400, 'invalid_request']);
    }
  });

  it('reads the admin routes with the organization and filters in capitals', async () => {
    const patientId = randomUUID();
    await push([insertEvent('patients', rows.patient(org.organizationId), patientId)]);
    const audit = await call(
      server.url,
      'GET',
      `/v1/orgs/${upper(org.organizationId)}/audit?recordId=${upper(patientId)}&userId=${upper(alice.userId)}`,
      { token: alice.authToken },
    );
    expect(audit.status).toBe(200);
    expect(audit.body.entries.map((e: { recordId: string }) => e.recordId)).toEqual([patientId]);
    const devices = await call(server.url, 'GET', `/v1/orgs/${upper(org.organizationId)}/devices`, {
      token: alice.authToken,
    });
    expect(devices.status).toBe(200);
    expect(devices.body.devices.map((d: { deviceId: string }) => d.deviceId)).toEqual([alice.deviceId]);
  });

  it('reads FHIR with the organization, a resource id and a patient reference in capitals', async () => {
    const patientId = randomUUID();
    await push([
      insertEvent('patients', rows.patient(org.organizationId), patientId),
      insertEvent('vitals', {
        patient_id: patientId,
        kind: 'heart_rate',
        unit: '/min',
        value: 72,
        recorded_at: '2026-03-02T09:05:00Z',
      }),
    ]);
    const fhir = (path: string) =>
      call(server.url, 'GET', `/v1/orgs/${upper(org.organizationId)}/fhir/r4/${path}`, { token: alice.authToken });

    const read = await fhir(`Patient/${upper(patientId)}`);
    expect([read.status, read.body.resourceType, read.body.id]).toEqual([200, 'Patient', patientId]);
    const search = await fhir(`Observation?patient=Patient/${upper(patientId)}`);
    expect(search.status).toBe(200);
    expect(search.body.total).toBe(1);
    const everything = await fhir(`Patient/${upper(patientId)}/$everything`);
    expect(everything.status).toBe(200);
    expect(everything.body.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).toEqual([
      'Patient',
      'Observation',
    ]);
  });
});
