/**
 * A query parameter given twice (docs/protocol-clarifications.md "Query
 * strings"): no ClinicSync route gives a repetition a meaning, so
 * `?deviceId=a&deviceId=b` or `?limit=10&limit=20` is `400 invalid_request`
 * naming the parameter, never the first value silently kept. FHIR keeps
 * FHIR's rule: search parameters repeat as AND (`_lastUpdated` as two
 * bounds), single-valued ones (`_count`, `_format`, `_since`, the paging
 * cursor) given twice are a 400 OperationOutcome. And one value has one
 * reading: a pull's schema gate reads `schemaVersion` as its query does.
 * Against the real server process.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import { createOrganization, insertEvent, pushApplied, rows, type CreatedOrganization } from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describeEachDialect('repeated query parameters (black box)', (dialect) => {
  let server: ServerProcess;
  let admin: SignedUpUser;
  let org: CreatedOrganization;

  beforeAll(async () => {
    server = await startServerProcess(dialect.name === 'postgres' ? { db: await dialect.databaseUrl() } : {});
    admin = await signUp(server.url);
    org = await createOrganization(server.url, admin);
    const patientId = randomUUID();
    await pushApplied(server.url, admin, [
      insertEvent('patients', rows.patient(org.organizationId), patientId),
      insertEvent('patients', rows.patient(org.organizationId, { given_name: 'Ada' })),
    ]);
  }, 60_000);
  afterAll(() => server?.stop());

  const refusal = (res: { status: number; body: any }) => [
    res.status,
    res.body?.error?.code,
    res.body?.error?.details?.issues?.[0],
  ];

  it('refuses a pull whose deviceId, limit, cursor or schemaVersion is given twice, naming it', async () => {
    const pull = (query: string) => call(server.url, 'GET', `/v1/sync/pull?${query}`, { token: admin.syncToken });
    const device = admin.deviceId;
    const cases: [string, string][] = [
      [`deviceId=${device}&deviceId=${randomUUID()}&schemaVersion=3`, 'deviceId'],
      [`deviceId=${device}&deviceId=${device}&schemaVersion=3`, 'deviceId'],
      [`deviceId=${device}&schemaVersion=3&limit=10&limit=20`, 'limit'],
      // Checked before the schema gate: which of the two versions would it be told to upgrade from?
      [`deviceId=${device}&schemaVersion=3&schemaVersion=0`, 'schemaVersion'],
      [`deviceId=${device}&schemaVersion=3&cursor=a&cursor=b`, 'cursor'],
    ];
    for (const [query, path] of cases) {
      expect(refusal(await pull(query))).toEqual([400, 'invalid_request', { path, code: 'repeated' }]);
    }
    // Empty values are absent ones and do not count: this is one limit.
    const plain = await pull(`deviceId=${device}&schemaVersion=3&limit=20`);
    const withEmpty = await pull(`deviceId=${device}&schemaVersion=3&limit=&limit=20&cursor=&cursor=`);
    expect(plain.status).toBe(200);
    expect([withEmpty.status, withEmpty.body.changes]).toEqual([200, plain.body.changes]);
  });

  it('answers a pull the same for every spelling of one schema version: the gate reads it as the query does', async () => {
    const pull = (version: string) =>
      call(server.url, 'GET', `/v1/sync/pull?deviceId=${admin.deviceId}&schemaVersion=${version}`, {
        token: admin.syncToken,
      });
    for (const zero of ['0', '0.0', '0x0']) expect([zero, (await pull(zero)).status]).toEqual([zero, 426]);
    for (const four of ['4', '4.0', '4e0', '1e3']) {
      const res = await pull(four);
      expect([four, res.status, res.body.error?.details?.issues?.[0]]).toEqual([
        four,
        400,
        { path: 'schemaVersion', code: 'too_big' },
      ]);
    }
  });

  it('refuses an audit filter given twice, naming it, instead of filtering by the first', async () => {
    const audit = (query: string) =>
      call(server.url, 'GET', `/v1/orgs/${org.organizationId}/audit?${query}`, { token: admin.authToken });
    expect(refusal(await audit('table=patients&table=teams'))).toEqual([
      400,
      'invalid_request',
      { path: 'table', code: 'repeated' },
    ]);
    expect(refusal(await audit(`userId=${admin.userId}&userId=${randomUUID()}`))).toEqual([
      400,
      'invalid_request',
      { path: 'userId', code: 'repeated' },
    ]);
    expect(refusal(await audit('limit=1&limit=1'))).toEqual([
      400,
      'invalid_request',
      { path: 'limit', code: 'repeated' },
    ]);
    const patients = await audit('table=patients&table=');
    expect(patients.status).toBe(200);
    expect(patients.body.entries).toHaveLength(2);
  });

  it('refuses a device revocation whose userId is given twice', async () => {
    const res = await call(
      server.url,
      'DELETE',
      `/v1/orgs/${org.organizationId}/devices/${randomUUID()}?userId=${admin.userId}&userId=${randomUUID()}`,
      { token: admin.authToken },
    );
    expect(refusal(res)).toEqual([400, 'invalid_request', { path: 'userId', code: 'repeated' }]);
  });

  it('FHIR: ANDs a repeated search parameter and refuses a single-valued one given twice', async () => {
    const fhir = (path: string, headers: Record<string, string> = {}) =>
      call(server.url, 'GET', `/v1/orgs/${org.organizationId}/fhir/r4/${path}`, { token: admin.authToken, headers });
    const anded = await fhir('Patient?_lastUpdated=ge2000-01-01&_lastUpdated=le2999-12-31');
    expect([anded.status, anded.body.total]).toEqual([200, 2]);

    for (const path of [
      'Patient?_count=1&_count=2',
      'Patient?_count=1&_count=1',
      'Patient?_cursor=a&_cursor=b',
      'Patient?_format=json&_format=xml',
      'metadata?_format=json&_format=json',
    ]) {
      const res = await fhir(path);
      expect([path, res.status, res.body?.resourceType]).toEqual([path, 400, 'OperationOutcome']);
    }
    const { body: page } = await fhir('Patient?_count=1');
    const patientId = page.entry[0].resource.id;
    const everything = await fhir(
      `Patient/${patientId}/$everything?_since=2000-01-01T00:00:00Z&_since=2999-01-01T00:00:00Z`,
    );
    expect([everything.status, everything.body?.resourceType]).toEqual([400, 'OperationOutcome']);
    const exported = await fhir('$export?_since=2000-01-01T00:00:00Z&_since=2999-01-01T00:00:00Z', {
      prefer: 'respond-async',
    });
    expect([exported.status, exported.body?.resourceType]).toEqual([400, 'OperationOutcome']);
  });
});
