/**
 * A JSON body whose object names one key twice has no one meaning (RFC 8259
 * §4; docs/protocol-clarifications.md "Requests and errors"): a push with
 * two `deviceId`s, or an event whose data gives `given_name` twice, is `400
 * invalid_request` (`duplicate_key`) and writes nothing, instead of the
 * parser's last value silently winning. Against the real server process.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import { createOrganization, type CreatedOrganization } from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describeEachDialect('duplicate keys in a JSON body (black box)', (dialect) => {
  let server: ServerProcess;
  let alice: SignedUpUser;
  let org: CreatedOrganization;

  beforeAll(async () => {
    server = await startServerProcess(dialect.name === 'postgres' ? { db: await dialect.databaseUrl() } : {});
    alice = await signUp(server.url);
    org = await createOrganization(server.url, alice);
  }, 60_000);
  afterAll(() => server?.stop());

  const refusal = (res: { status: number; body: any }) => [
    res.status,
    res.body?.error?.code,
    res.body?.error?.details?.issues?.[0]?.code,
  ];
  const pushText = (rawBody: string) => call(server.url, 'POST', '/v1/sync/push', { token: alice.syncToken, rawBody });
  const pulledPatients = async () => {
    const res = await call(server.url, 'GET', `/v1/sync/pull?deviceId=${alice.deviceId}&schemaVersion=3`, {
      token: alice.syncToken,
    });
    return res.body.changes.filter((c: { table: string }) => c.table === 'patients');
  };

  it('refuses a push naming a key twice, in the envelope or in an event, and writes nothing', async () => {
    const patientId = randomUUID();
    const event = (data: string) =>
      `{"eventId":"${randomUUID()}","table":"patients","op":"INSERT","recordId":"${patientId}","baseVersion":0,"data":${data}}`;
    const data = `{"organization_id":"${org.organizationId}","given_name":"Amina","family_name":"Okafor"}`;
    const twiceNamed = `{"organization_id":"${org.organizationId}","given_name":"Amina","given_name":"Ada","family_name":"Okafor"}`;
    for (const body of [
      `{"deviceId":"${randomUUID()}","deviceId":"${alice.deviceId}","schemaVersion":3,"events":[${event(data)}]}`,
      `{"deviceId":"${alice.deviceId}","schemaVersion":3,"events":[${event(twiceNamed)}]}`,
      `{"deviceId":"${alice.deviceId}","schemaVersion":3,"events":[${event(data)}],"events":[]}`,
    ]) {
      expect(refusal(await pushText(body))).toEqual([400, 'invalid_request', 'duplicate_key']);
    }
    expect(await pulledPatients()).toEqual([]);
    // The same push written once is applied.
    const once = await pushText(`{"deviceId":"${alice.deviceId}","schemaVersion":3,"events":[${event(data)}]}`);
    expect([once.status, once.body.results[0].status]).toEqual([200, 'applied']);
  });

  it('refuses a sign-in naming its deviceId twice', async () => {
    const res = await call(server.url, 'POST', '/v1/auth/sign-in', {
      rawBody: `{"email":"${alice.email}","password":"${alice.password}","deviceId":"${randomUUID()}","deviceId":"${randomUUID()}","deviceName":"Laptop"}`,
    });
    expect(refusal(res)).toEqual([400, 'invalid_request', 'duplicate_key']);
  });
});
