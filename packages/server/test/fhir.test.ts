/**
 * FHIR R4 over HTTP against the real server bin (PROTOCOL §8), on SQLite and,
 * when configured, PostgreSQL: every resource the server emits is validated
 * with the R4 JSON schema, the `fhir` package and the vital-signs profiles
 * (support/fhir-validators.ts); access is from the database (a member of
 * another organization gets nothing); deleted rows are absent; paging,
 * `_lastUpdated`, `$everything` and Bulk Data `$export` work end to end.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { freshPostgresDatabase, requirePostgres } from './support/dialects.ts';
import { fhirProblems, loadFhirValidators } from './support/fhir-validators.ts';
import {
  createOrganization,
  deleteEvent,
  insertEvent,
  pushResults,
  updateEvent,
  type PushEvent,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

type Json = any;

async function fhir(base: string, path: string, token?: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  const text = await res.text();
  let body: Json = text;
  try {
    body = JSON.parse(text);
  } catch {
    // NDJSON or empty
  }
  return { status: res.status, body, text, headers: res.headers };
}

function expectValid(resource: Json): void {
  expect(fhirProblems(resource), `${resource.resourceType}/${resource.id}`).toEqual([]);
}

function expectOutcome(res: { status: number; body: Json; headers: Headers }, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expectValid(res.body);
}

const VITALS_V3 = [
  { kind: 'body_temperature', value: 38.2, unit: 'Cel' },
  { kind: 'heart_rate', value: 88, unit: '/min' },
  { kind: 'respiratory_rate', value: 18, unit: '/min' },
  { kind: 'blood_pressure', value: 128, value2: 84, unit: 'mm[Hg]' },
  { kind: 'oxygen_saturation', value: 97, unit: '%' },
  { kind: 'body_weight', value: 64.5, unit: 'kg' },
  { kind: 'body_height', value: 168, unit: 'cm' },
  { kind: 'blood_glucose', value: 5.4, unit: 'mmol/L' },
];

function suite(name: string, databaseUrl: () => Promise<string | undefined>) {
  describe(`FHIR R4 [${name}]`, () => {
    let server: ServerProcess;
    let alice: SignedUpUser;
    let bob: SignedUpUser;
    let orgId: string;
    let base: string;
    const patientId = randomUUID();
    const otherPatientId = randomUUID();
    const goneMedicationId = randomUUID();
    const wrongVitalId = randomUUID();
    const vitalIds: string[] = [];

    beforeAll(async () => {
      loadFhirValidators();
      const db = await databaseUrl();
      server = await startServerProcess(db ? { db } : {});
      alice = await signUp(server.url, { name: 'Alice Admin' });
      bob = await signUp(server.url, { name: 'Bob Elsewhere' });
      const org = await createOrganization(server.url, alice);
      orgId = org.organizationId;
      await createOrganization(server.url, bob, { name: 'Hilltop Clinic' });
      base = `/v1/orgs/${orgId}/fhir/r4`;
      const events: PushEvent[] = [
        insertEvent(
          'patients',
          {
            organization_id: orgId,
            given_name: 'Amina Grace',
            family_name: "O'Brien-Nkemelu",
            birth_date: '1990-04-12',
            sex: 'female',
            phone: '+251 911 234 567',
            identifier: 'RC-0001',
          },
          patientId,
        ),
        insertEvent(
          'patients',
          { organization_id: orgId, given_name: 'Tesfaye', family_name: 'Bekele' },
          otherPatientId,
        ),
        insertEvent('appointments', {
          team_id: org.teamId,
          patient_id: patientId,
          starts_at: '2026-03-02T09:00:00.000Z',
          duration_min: 20,
          status: 'booked',
          reason: 'Cough',
        }),
        insertEvent('medications', {
          patient_id: patientId,
          code: 'amoxicillin',
          dose: '500 mg',
          route: 'oral',
          frequency: 'three times a day',
          status: 'active',
        }),
        insertEvent(
          'medications',
          { patient_id: patientId, code: 'paracetamol', dose: '1 g', status: 'completed' },
          goneMedicationId,
        ),
        insertEvent(
          'vitals',
          {
            patient_id: patientId,
            kind: 'heart_rate',
            value: 70,
            unit: '/min',
            recorded_at: '2026-03-02T09:04:00.000Z',
          },
          wrongVitalId,
        ),
      ];
      for (const v of VITALS_V3) {
        const id = randomUUID();
        vitalIds.push(id);
        events.push(
          insertEvent('vitals', { patient_id: patientId, recorded_at: '2026-03-02T09:05:00.000Z', ...v }, id),
        );
      }
      const results = await pushResults(server.url, alice, events, { schemaVersion: 3 });
      expect(results.map((r) => r.status)).toEqual(events.map(() => 'applied'));
      const later = await pushResults(
        server.url,
        alice,
        [
          updateEvent('vitals', wrongVitalId, 1, {
            entered_in_error: true,
            error_reason: 'Recorded for the wrong patient',
          }),
          deleteEvent('medications', goneMedicationId, 1),
        ],
        { schemaVersion: 3 },
      );
      expect(later.map((r) => r.status)).toEqual(['applied', 'applied']);
    }, 180_000);

    afterAll(async () => {
      await server?.stop();
    });

    it('serves a valid CapabilityStatement without a token', async () => {
      const res = await fhir(server.url, `${base}/metadata`);
      expect(res.status).toBe(200);
      expect(res.body.resourceType).toBe('CapabilityStatement');
      expect(res.body.fhirVersion).toBe('4.0.1');
      expect(res.body.rest[0].resource.map((r: Json) => r.type)).toEqual([
        'Patient',
        'Appointment',
        'Observation',
        'MedicationStatement',
      ]);
      expectValid(res.body);
    });

    it('reads a patient with the clinic number as identifier', async () => {
      const res = await fhir(server.url, `${base}/Patient/${patientId}`, alice.authToken);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
      expectValid(res.body);
      expect(res.body.identifier[0]).toMatchObject({ system: `urn:uuid:${orgId}`, value: 'RC-0001' });
      expect(res.body.name[0]).toMatchObject({ family: "O'Brien-Nkemelu", given: ['Amina', 'Grace'] });
      expect(res.body).toMatchObject({ gender: 'female', birthDate: '1990-04-12', meta: { versionId: '1' } });
    });

    it('searches observations by patient: coded vital signs, a blood pressure panel, an entry marked in error', async () => {
      const res = await fhir(
        server.url,
        `${base}/Observation?patient=Patient/${patientId}&_count=100`,
        alice.authToken,
      );
      expect(res.status).toBe(200);
      expectValid(res.body);
      const observations = res.body.entry.map((e: Json) => e.resource);
      expect(observations).toHaveLength(VITALS_V3.length + 1);
      for (const o of observations) expectValid(o);
      const bp = observations.find((o: Json) => o.code.coding[0].code === '85354-9');
      expect(bp.valueQuantity).toBeUndefined();
      expect(
        bp.component.map((c: Json) => [c.code.coding[0].code, c.valueQuantity.value, c.valueQuantity.code]),
      ).toEqual([
        ['8480-6', 128, 'mm[Hg]'],
        ['8462-4', 84, 'mm[Hg]'],
      ]);
      const temperature = observations.find((o: Json) => o.code.coding[0].code === '8310-5');
      expect(temperature.valueQuantity).toMatchObject({
        value: 38.2,
        system: 'http://unitsofmeasure.org',
        code: 'Cel',
      });
      expect(temperature.interpretation[0].coding[0].code).toBe('H');
      const wrong = observations.find((o: Json) => o.id === wrongVitalId);
      expect(wrong.status).toBe('entered-in-error');
      expect(wrong.note[0].text).toBe('Recorded for the wrong patient');
    });

    it('searches by subject where R4 defines it (Observation, MedicationStatement), as by patient', async () => {
      for (const [type, count] of [
        ['Observation', VITALS_V3.length + 1],
        ['MedicationStatement', 1],
      ] as const) {
        const mine = await fhir(server.url, `${base}/${type}?subject=Patient/${patientId}`, alice.authToken);
        expect(mine.body.total, type).toBe(count);
        const theirs = await fhir(server.url, `${base}/${type}?subject=${otherPatientId}`, alice.authToken);
        expect(theirs.body.total, type).toBe(0);
      }
      const metadata = await fhir(server.url, `${base}/metadata`);
      const observation = metadata.body.rest[0].resource.find((r: Json) => r.type === 'Observation');
      expect(observation.searchParam.map((p: Json) => p.name)).toContain('subject');
      expectOutcome(
        await fhir(server.url, `${base}/Observation?patient=${patientId}&subject=${otherPatientId}`, alice.authToken),
        400,
      );
    });

    it('answers 406 to a request only for a format other than JSON, metadata included', async () => {
      expectOutcome(await fhir(server.url, `${base}/Patient?_format=xml`, alice.authToken), 406);
      expectOutcome(await fhir(server.url, `${base}/metadata?_format=application/fhir%2Bxml`), 406);
      expectOutcome(
        await fhir(server.url, `${base}/Patient/${patientId}`, alice.authToken, { accept: 'application/fhir+xml' }),
        406,
      );
      for (const [query, accept] of [
        ['?_format=json', 'application/fhir+xml'],
        ['', 'application/fhir+json'],
        ['', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
      ] as const) {
        const res = await fhir(server.url, `${base}/Patient${query}`, alice.authToken, { accept });
        expect(res.status, `${query} ${accept}`).toBe(200);
      }
    });

    it('pages with _count through next links, each entry once, as many as total', async () => {
      const seen: string[] = [];
      let url: string | undefined = `${base}/Observation?_count=3`;
      let total = -1;
      for (let pages = 0; url && pages < 10; pages++) {
        const res: Json = await fhir(server.url, url, alice.authToken);
        expect(res.status).toBe(200);
        expect(res.body.entry.length).toBeLessThanOrEqual(3);
        total = res.body.total;
        seen.push(...res.body.entry.map((e: Json) => e.resource.id));
        url = res.body.link.find((l: Json) => l.relation === 'next')?.url;
      }
      expect(url).toBeUndefined();
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(total);
      expect(total).toBe(VITALS_V3.length + 1);
    });

    it('filters by _lastUpdated', async () => {
      const future = await fhir(server.url, `${base}/Patient?_lastUpdated=gt2999-01-01`, alice.authToken);
      expect(future.body.total).toBe(0);
      const past = await fhir(
        server.url,
        `${base}/Patient?_lastUpdated=ge2000&_lastUpdated=lt2999-12-31T00:00:00Z`,
        alice.authToken,
      );
      expect(past.body.total).toBe(2);
      expectOutcome(await fhir(server.url, `${base}/Patient?_lastUpdated=yesterday`, alice.authToken), 400);
    });

    it('maps appointments and medication statements', async () => {
      const appointments = await fhir(server.url, `${base}/Appointment?patient=${patientId}`, alice.authToken);
      const appointment = appointments.body.entry[0].resource;
      expectValid(appointment);
      expect(appointment).toMatchObject({
        status: 'booked',
        start: '2026-03-02T09:00:00.000Z',
        end: '2026-03-02T09:20:00.000Z',
        minutesDuration: 20,
      });
      const meds = await fhir(server.url, `${base}/MedicationStatement?patient=Patient/${patientId}`, alice.authToken);
      expect(meds.body.entry.map((e: Json) => e.resource.medicationCodeableConcept.text)).toEqual(['amoxicillin']);
      for (const e of meds.body.entry) expectValid(e.resource);
    });

    it('keeps deleted rows out: read answers 410, search does not list them', async () => {
      expectOutcome(await fhir(server.url, `${base}/MedicationStatement/${goneMedicationId}`, alice.authToken), 410);
      expectOutcome(await fhir(server.url, `${base}/MedicationStatement/${randomUUID()}`, alice.authToken), 404);
    });

    it('gives a member of another organization nothing, and no token nothing', async () => {
      for (const path of [
        `${base}/Patient/${patientId}`,
        `${base}/Patient`,
        `${base}/Observation?patient=${patientId}`,
        `${base}/Patient/${patientId}/$everything`,
      ]) {
        expectOutcome(await fhir(server.url, path, bob.authToken), 403);
        expectOutcome(await fhir(server.url, path), 401);
      }
      // A sync token is the wrong kind of token, as on every other non-sync route.
      expectOutcome(await fhir(server.url, `${base}/Patient`, alice.syncToken), 403);
      expectOutcome(await fhir(server.url, `${base}/Patient`, alice.authToken, {}, 'POST'), 405);
      expectOutcome(await fhir(server.url, `${base}/Encounter`, alice.authToken), 404);
    });

    it('returns a patient with everything recorded for them', async () => {
      const res = await fhir(server.url, `${base}/Patient/${patientId}/$everything`, alice.authToken);
      expect(res.status).toBe(200);
      expectValid(res.body);
      const types = res.body.entry.map((e: Json) => e.resource.resourceType);
      expect(types.filter((t: string) => t === 'Patient')).toHaveLength(1);
      expect(types.filter((t: string) => t === 'Observation')).toHaveLength(VITALS_V3.length + 1);
      expect(types.filter((t: string) => t === 'MedicationStatement')).toHaveLength(1);
      expect(types.filter((t: string) => t === 'Appointment')).toHaveLength(1);
      expect(
        res.body.entry.every(
          (e: Json) =>
            e.resource.resourceType === 'Patient' ||
            e.resource.subject?.reference === `Patient/${patientId}` ||
            e.resource.participant,
        ),
      ).toBe(true);
    });

    it('exports the organization as Bulk Data NDJSON for an admin', async () => {
      expectOutcome(await fhir(server.url, `${base}/$export`, alice.authToken), 400);
      expectOutcome(await fhir(server.url, `${base}/$export`, bob.authToken, { prefer: 'respond-async' }), 403);
      const kickOff = await fhir(server.url, `${base}/$export`, alice.authToken, {
        prefer: 'respond-async',
        accept: 'application/fhir+json',
      });
      expect(kickOff.status).toBe(202);
      const status = kickOff.headers.get('content-location')!;
      expect(status).toContain('/$export-status/');
      expect((await fhir(server.url, status, bob.authToken)).status).toBe(403);
      const manifest = await fhir(server.url, status, alice.authToken);
      expect(manifest.status).toBe(200);
      expect(manifest.body.requiresAccessToken).toBe(true);
      const counts = Object.fromEntries(manifest.body.output.map((o: Json) => [o.type, o.count]));
      expect(counts).toEqual({ Patient: 2, Appointment: 1, Observation: VITALS_V3.length + 1, MedicationStatement: 1 });
      for (const output of manifest.body.output) {
        expect((await fhir(server.url, output.url)).status).toBe(401);
        const file = await fhir(server.url, output.url, alice.authToken);
        expect(file.status).toBe(200);
        expect(file.headers.get('content-type')).toMatch(/^application\/fhir\+ndjson/);
        const lines = file.text
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line));
        expect(lines).toHaveLength(output.count);
        for (const resource of lines) {
          expect(resource.resourceType).toBe(output.type);
          expectValid(resource);
        }
      }
      expect((await fhir(server.url, status, alice.authToken, {}, 'DELETE')).status).toBe(202);
    });

    it('writes every link with the address the client used (paging, the job, its files, the capability statement)', async () => {
      // On the edge runtime the app runs behind a front on another port; a link to the inner port would break
      // on the next restart and is unreachable from another computer.
      const origin = new URL(server.url).origin;
      const page = await fhir(server.url, `${base}/Observation?_count=1`, alice.authToken);
      const links: string[] = page.body.link.map((l: Json) => l.url);
      expect(links).toHaveLength(2);
      const metadata = await fhir(server.url, `${base}/metadata`);
      links.push(metadata.body.implementation.url);
      const kickOff = await fhir(server.url, `${base}/$export?_type=Patient`, alice.authToken, {
        prefer: 'respond-async',
      });
      const status = kickOff.headers.get('content-location')!;
      links.push(status);
      const manifest = await fhir(server.url, status, alice.authToken);
      links.push(manifest.body.request, ...manifest.body.output.map((o: Json) => o.url));
      for (const link of links) expect(new URL(link).origin, link).toBe(origin);
    });

    it('serves valid R4 from any text a device may store: stray spaces, control characters', async () => {
      // Its own organization, so the counts of the other tests stay as they are.
      const untidy = await createOrganization(server.url, alice, { name: 'Untidy Clinic' });
      const untidyBase = `/v1/orgs/${untidy.organizationId}/fhir/r4`;
      const id = randomUUID();
      const results = await pushResults(
        server.url,
        alice,
        [
          insertEvent(
            'patients',
            {
              organization_id: untidy.organizationId,
              given_name: '  Amina\u0001  Grace ',
              family_name: 'O\u001bBrien\t',
              phone: '\u000c0911 234 567',
              address: 'Bole\r\nAddis\u0007 Ababa',
              notes: 'bell \u0007',
            },
            id,
          ),
          insertEvent('appointments', {
            team_id: untidy.teamId,
            patient_id: id,
            starts_at: '2026-03-02T09:00:00.000Z',
            duration_min: 24 * 60,
            status: 'booked',
            reason: '\u0002cough',
          }),
          insertEvent('medications', {
            patient_id: id,
            code: 'para\u0008cetamol',
            dose: '\u000b1 g',
            route: ' ',
            status: 'active',
          }),
        ],
        { schemaVersion: 3 },
      );
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      const read = await fhir(server.url, `${untidyBase}/Patient/${id}`, alice.authToken);
      expect(read.status).toBe(200);
      expectValid(read.body);
      expect(read.body.name[0].given).toEqual(['Amina\ufffd', 'Grace']);
      const everything = await fhir(server.url, `${untidyBase}/Patient/${id}/$everything`, alice.authToken);
      expect(everything.body.entry).toHaveLength(3);
      for (const entry of everything.body.entry) expectValid(entry.resource);
      const kickOff = await fhir(server.url, `${untidyBase}/$export`, alice.authToken, { prefer: 'respond-async' });
      const manifest = await fhir(server.url, kickOff.headers.get('content-location')!, alice.authToken);
      expect(manifest.body.output).toHaveLength(3);
      for (const output of manifest.body.output) {
        const file = await fhir(server.url, output.url, alice.authToken);
        for (const line of file.text.trim().split('\n')) expectValid(JSON.parse(line));
      }
    });

    it('exports only the asked types and only what changed since _since', async () => {
      const patientsOnly = await fhir(server.url, `${base}/Patient/$export?_type=Patient`, alice.authToken, {
        prefer: 'respond-async',
      });
      expect(patientsOnly.status).toBe(202);
      const manifest = await fhir(server.url, patientsOnly.headers.get('content-location')!, alice.authToken);
      expect(manifest.body.output.map((o: Json) => o.type)).toEqual(['Patient']);
      const since = await fhir(server.url, `${base}/$export?_since=2999-01-01T00:00:00Z`, alice.authToken, {
        prefer: 'respond-async',
      });
      const none = await fhir(server.url, since.headers.get('content-location')!, alice.authToken);
      expect(none.body.output).toEqual([]);
      expectOutcome(
        await fhir(server.url, `${base}/$export?_type=Encounter`, alice.authToken, { prefer: 'respond-async' }),
        400,
      );
      // A job link names its organization, types and requester under a signature: any change voids it.
      const link = patientsOnly.headers.get('content-location') as string;
      const [payload, mac] = link.slice(link.lastIndexOf('/') + 1).split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const widened = Buffer.from(JSON.stringify({ ...claims, t: ['Patient', 'Observation'] })).toString('base64url');
      expectOutcome(await fhir(server.url, link.replace(payload!, widened), alice.authToken), 404);
      expectOutcome(
        await fhir(
          server.url,
          link.replace(mac!, `${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`),
          alice.authToken,
        ),
        404,
      );
    });
  });
}

suite('sqlite', async () => undefined);
if (requirePostgres()) suite('postgres', freshPostgresDatabase);
else describe.skip('FHIR R4 [postgres] (PostgreSQL not configured)', () => {});
