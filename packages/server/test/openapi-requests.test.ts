/**
 * The reference is not looser than the server: for every documented
 * operation, requests built from the document alone (reference-requests.ts,
 * fixed seed) are accepted as documented. `call()` holds each answer to the
 * reference (status listed, body valid); beyond that a request the document
 * calls valid is never refused as malformed (`400`) and never fails (`5xx`),
 * and every answer carries `X-Request-Id`. Refusals the document cannot rule
 * out from a schema (`404` for an id that does not exist, `403` for another
 * device, `410` for a cursor this server never issued) are documented answers
 * and pass; so is a `400` whose every issue is of that kind (`not_found`: a
 * well-formed id that names nothing of this organization; `invalid_cursor`:
 * an audit cursor this server never issued).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call, loadReference } from './support/http-client.ts';
import { createOrganization, type CreatedOrganization } from './support/orgs.ts';
import { documentedOperations, requestArbitrary, securityOf } from './support/reference-requests.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const SAMPLES_PER_OPERATION = 8;
/** Issue codes of a `400` that refuse a value for what it names, not for its shape. */
const NOT_SHAPE_ISSUES = new Set(['not_found', 'invalid_cursor']);
const SEED = 20261201;

describeEachDialect('requests built from the reference', (dialect) => {
  const { document } = loadReference();
  let server: ServerProcess;
  let alice: SignedUpUser;
  let org: CreatedOrganization;
  /** A second device of Alice's, for the operations that revoke a device. */
  let spareDeviceId: string;
  /** A UI session of Alice's of its own, for sign-out (which ends the session it is called with). */
  let throwawayAuthToken: string;

  beforeAll(async () => {
    const pgUrl = dialect.name === 'postgres' ? await dialect.databaseUrl() : undefined;
    server = await startServerProcess(pgUrl ? { db: pgUrl } : {});
    alice = await signUp(server.url, { name: 'Alice Admin' });
    org = await createOrganization(server.url, alice);
    spareDeviceId = crypto.randomUUID();
    await signIn(server.url, { email: alice.email, password: alice.password, deviceId: spareDeviceId });
    throwawayAuthToken = (await signIn(server.url, { email: alice.email, password: alice.password })).authToken;
  });
  afterAll(() => server?.stop());

  describe.each(documentedOperations(document).map((op) => [`${op.method.toUpperCase()} ${op.template}`, op]))(
    '%s',
    (_name, op) => {
      it('accepts what the document calls valid, as documented', async () => {
        const kinds = securityOf(op);
        const token =
          op.operation.operationId === 'signOut'
            ? throwawayAuthToken
            : kinds.includes('syncToken')
              ? alice.syncToken
              : kinds.includes('authToken')
                ? alice.authToken
                : undefined;
        const fixed: Record<string, string> = { orgId: org.organizationId };
        if (op.template.includes('devices/{deviceId}')) fixed.deviceId = spareDeviceId;
        // The token's own device, else every pull is `403 forbidden` and nothing else is tried.
        if (kinds.includes('syncToken')) fixed.deviceId = alice.deviceId;
        // A waiting pull holds its answer up to 55 s; the shape of the request is the same with 0.
        if (op.template === '/v1/sync/pull') fixed.wait = '0';
        const requests = fc.sample(requestArbitrary(document, op, fixed), {
          numRuns: SAMPLES_PER_OPERATION,
          seed: SEED,
        });
        for (const request of requests) {
          const res = await call(server.url, op.method.toUpperCase(), request.url, {
            ...(token ? { token } : {}),
            headers: request.headers,
            ...(request.body !== undefined ? { body: request.body } : {}),
          });
          const shown = `${op.method.toUpperCase()} ${request.url} ${JSON.stringify(request.body ?? null).slice(0, 300)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
          if (res.status === 400) {
            const issues: { code: string }[] = res.body?.error?.details?.issues ?? [];
            expect(issues.length > 0 && issues.every((i) => NOT_SHAPE_ISSUES.has(i.code)), shown).toBe(true);
          }
          expect(res.status, shown).toBeLessThan(500);
          expect(res.headers.get('x-request-id'), shown).toMatch(/^[A-Za-z0-9_=-]{1,64}$/);
        }
      });
    },
  );
});
