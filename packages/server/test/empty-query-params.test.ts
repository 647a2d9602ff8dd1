/**
 * An empty query parameter is an absent one (docs/protocol-clarifications.md
 * "Query strings"). PROTOCOL §6 spells the audit route as
 * `?table=&recordId=&userId=&deviceId=&since=&until=&cursor=`, and a client
 * that fills in only the filters it has (or `cursor=${next ?? ''}` on a first
 * page) sends the others empty: that is "no filter", "no cursor", never a
 * 400 or a refused cursor. FHIR search keeps FHIR's own reading of its
 * parameters (docs/fhir.md). Against the real server process.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import { createOrganization, type CreatedOrganization } from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describeEachDialect('empty query parameters (black box)', (dialect) => {
  let server: ServerProcess;
  let admin: SignedUpUser;
  let org: CreatedOrganization;

  beforeAll(async () => {
    server = await startServerProcess(dialect.name === 'postgres' ? { db: await dialect.databaseUrl() } : {});
    admin = await signUp(server.url);
    org = await createOrganization(server.url, admin);
  }, 60_000);
  afterAll(() => server?.stop());

  it('reads the audit trail with every filter of the route template left empty as the unfiltered trail', async () => {
    const audit = (query: string) =>
      call(server.url, 'GET', `/v1/orgs/${org.organizationId}/audit${query}`, { token: admin.authToken });
    const plain = await audit('');
    expect(plain.status).toBe(200);
    expect(plain.body.entries).toHaveLength(3);
    const templated = await audit('?table=&recordId=&userId=&deviceId=&since=&until=&cursor=');
    expect([templated.status, templated.body]).toEqual([200, plain.body]);
    // Empty ones beside a real filter leave that filter working.
    const onlyTeams = await audit(`?table=teams&recordId=&userId=${admin.userId}&cursor=`);
    expect(onlyTeams.status).toBe(200);
    expect(onlyTeams.body.entries.map((e: { table: string }) => e.table)).toEqual(['teams']);
    // A value that is there is still checked.
    expect((await audit('?table=passwords&cursor=')).status).toBe(400);
  });

  it('pulls from the beginning with an empty cursor, exactly as without one', async () => {
    const pull = (extra: string) =>
      call(server.url, 'GET', `/v1/sync/pull?deviceId=${admin.deviceId}&schemaVersion=1${extra}`, {
        token: admin.syncToken,
      });
    const plain = await pull('');
    const empty = await pull('&cursor=&limit=');
    expect(plain.status).toBe(200);
    expect([empty.status, empty.body.changes]).toEqual([200, plain.body.changes]);
    expect(empty.body.changes).toHaveLength(3);
  });

  it('leaves FHIR search out of the rule: an empty _count or patient is a value, refused as FHIR search refuses it', async () => {
    const search = (query: string) =>
      call(server.url, 'GET', `/v1/orgs/${org.organizationId}/fhir/r4/Observation${query}`, {
        token: admin.authToken,
      });
    expect((await search('')).status).toBe(200);
    for (const query of ['?_count=', '?patient=']) {
      const res = await search(query);
      expect([res.status, res.body?.resourceType]).toEqual([400, 'OperationOutcome']);
    }
  });
});
