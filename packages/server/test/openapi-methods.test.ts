/**
 * What the reference says of every answer, on a real server process: a method
 * a documented path does not serve is `405 method_not_allowed` with `Allow`
 * listing exactly the documented methods (never `404`); every answer, errors
 * included, carries `X-Request-Id`; a pull cursor over its documented maximum
 * is a `400` naming `cursor`; and a URL beyond Node's header limit still
 * answers JSON, never a bare `431`.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { MAX_CURSOR_LENGTH } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call, loadReference } from './support/http-client.ts';
import { createOrganization, type CreatedOrganization } from './support/orgs.ts';
import { documentedOperations, securityOf } from './support/reference-requests.ts';
import { startServerProcess, TEST_RUNTIME, type ServerProcess } from './support/server-process.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const REQUEST_ID = /^[A-Za-z0-9_=-]{1,64}$/;

describeEachDialect('methods and request ids', (dialect) => {
  const { document } = loadReference();
  let server: ServerProcess;
  let alice: SignedUpUser;
  let org: CreatedOrganization;

  beforeAll(async () => {
    const pgUrl = dialect.name === 'postgres' ? await dialect.databaseUrl() : undefined;
    server = await startServerProcess(pgUrl ? { db: pgUrl } : {});
    alice = await signUp(server.url);
    org = await createOrganization(server.url, alice);
  });
  afterAll(() => server?.stop());

  /** Each documented path, its parameters filled in, with its documented methods and the token its operations take. */
  function documentedPaths() {
    const byPath = new Map<string, { methods: string[]; token?: string }>();
    const ids = new Map<string, string>();
    const idFor = (name: string) => ids.get(name) ?? ids.set(name, randomUUID()).get(name)!;
    for (const op of documentedOperations(document)) {
      const path = op.template.replace('{orgId}', org.organizationId).replace(/\{([^}]+)\}/g, (_, name) => idFor(name));
      const entry = byPath.get(path) ?? { methods: [] };
      entry.methods.push(op.method.toUpperCase());
      const kinds = securityOf(op);
      if (kinds.includes('syncToken')) entry.token = alice.syncToken;
      else if (kinds.includes('authToken')) entry.token = alice.authToken;
      byPath.set(path, entry);
    }
    return [...byPath];
  }

  it('answers 405 with Allow listing the documented methods on every documented path', async () => {
    const failures: string[] = [];
    for (const [path, { methods, token }] of documentedPaths()) {
      const allow = methods.includes('GET') ? ['GET', 'HEAD', ...methods.filter((m) => m !== 'GET')] : methods;
      for (const method of METHODS.filter((m) => !methods.includes(m))) {
        const res = await fetch(new URL(path, server.url), {
          method,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        const body = await res.json().catch(() => undefined);
        // FHIR paths answer FHIR's error resource; everything else the protocol's error shape.
        const code = path.includes('/fhir/r4/') ? body?.resourceType : body?.error?.code;
        const expected = path.includes('/fhir/r4/') ? 'OperationOutcome' : 'method_not_allowed';
        const allowed = (res.headers.get('allow') ?? '').split(/,\s*/).sort();
        if (res.status !== 405 || code !== expected || allowed.join() !== [...allow].sort().join())
          failures.push(`${method} ${path}: ${res.status} ${code} Allow: ${res.headers.get('allow')}`);
        if (!REQUEST_ID.test(res.headers.get('x-request-id') ?? ''))
          failures.push(`${method} ${path}: no X-Request-Id`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('still answers 404 for a path nobody serves, and HEAD wherever GET is served', async () => {
    const missing = await fetch(new URL('/v1/no-such-route', server.url), { method: 'PUT' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    const head = await fetch(new URL('/v1/sync/schema', server.url), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-request-id')).toMatch(REQUEST_ID);
  });

  it('sets X-Request-Id on successes and on every kind of error, and returns the one the client sent', async () => {
    const answers = [
      await call(server.url, 'GET', '/healthz'),
      await call(server.url, 'GET', '/v1/me'),
      await call(server.url, 'GET', '/v1/me', { token: alice.syncToken }),
      await call(server.url, 'POST', '/v1/auth/register', { rawBody: '{' }),
      await call(server.url, 'GET', `/v1/orgs/${org.organizationId}/audit?table=passwords`, { token: alice.authToken }),
      await call(server.url, 'GET', `/v1/orgs/${org.organizationId}/fhir/r4/Patient/${randomUUID()}`, {
        token: alice.authToken,
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 403, 400, 400, 404]);
    for (const answer of answers) expect(answer.headers.get('x-request-id')).toMatch(REQUEST_ID);
    const echoed = await call(server.url, 'GET', '/v1/me', { headers: { 'x-request-id': 'support-ticket-42' } });
    expect(echoed.headers.get('x-request-id')).toBe('support-ticket-42');
  });

  it('refuses a pull cursor over the documented maximum as 400 naming the field', async () => {
    const res = await call(
      server.url,
      'GET',
      `/v1/sync/pull?deviceId=${alice.deviceId}&schemaVersion=1&cursor=${'c'.repeat(MAX_CURSOR_LENGTH + 1)}`,
      { token: alice.syncToken },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.issues).toEqual([{ path: 'cursor', code: 'too_big' }]);
    expect(res.headers.get('x-request-id')).toMatch(REQUEST_ID);
  });

  it.runIf(TEST_RUNTIME === 'node')(
    'answers a URL beyond the header limit with JSON and a request id, not a bare 431',
    async () => {
      const url = new URL(`/v1/sync/pull?cursor=${'c'.repeat(20_000)}`, server.url);
      // Raw HTTP: a fetch client may refuse or rewrite such a request before it is sent.
      const answer = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
        (resolve, reject) => {
          const req = httpRequest(url, { method: 'GET' }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          });
          req.on('error', reject);
          req.end();
        },
      );
      expect(answer.status).toBe(431);
      expect(answer.headers['content-type']).toBe('application/json');
      expect(String(answer.headers['x-request-id'])).toMatch(REQUEST_ID);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(JSON.parse(answer.body).error.code).toBe('headers_too_large');
    },
  );
});
