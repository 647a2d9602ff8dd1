/**
 * The two tokens kept apart on every route (PROTOCOL §1: "Sync routes accept
 * only sync tokens; every other route accepts only auth tokens (403
 * wrong_token_kind)"), checked against the running server for each operation
 * the API reference documents, so a route added later without its gate fails
 * here: the other kind of token is 403 `wrong_token_kind` (under `/fhir/r4/`
 * a 403 OperationOutcome), a refresh token or none at all is 401.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { call, loadReference } from './support/http-client.ts';
import { createOrganization, type CreatedOrganization } from './support/orgs.ts';
import { documentedOperations, securityOf } from './support/reference-requests.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describe('token kinds on every documented operation (black box)', () => {
  const { document } = loadReference();
  const gated = documentedOperations(document).filter((op) => {
    const kinds = securityOf(op);
    return kinds.includes('authToken') || kinds.includes('syncToken');
  });
  let server: ServerProcess;
  let user: SignedUpUser;
  let org: CreatedOrganization;

  beforeAll(async () => {
    server = await startServerProcess();
    user = await signUp(server.url);
    org = await createOrganization(server.url, user);
  });
  afterAll(() => server?.stop());

  /** The operation's URL with the caller's own organization and device, so only the token can be wrong. */
  const urlOf = (template: string) => {
    const path = template
      .replaceAll('{orgId}', org.organizationId)
      .replaceAll('{deviceId}', user.deviceId)
      .replace(/\{[^}]+\}/g, randomUUID());
    return path === '/v1/sync/pull' ? `${path}?deviceId=${user.deviceId}&schemaVersion=1` : path;
  };
  const bodyOf = (template: string, method: string) =>
    template === '/v1/sync/push'
      ? { deviceId: user.deviceId, schemaVersion: 1, events: [] }
      : method === 'post'
        ? {}
        : undefined;

  it('documents both kinds of gated operation', () => {
    expect(gated.some((op) => securityOf(op).includes('syncToken'))).toBe(true);
    expect(gated.filter((op) => securityOf(op).includes('authToken')).length).toBeGreaterThan(10);
  });

  it('answers the other kind of token with 403 wrong_token_kind', async () => {
    for (const op of gated) {
      const wrong = securityOf(op).includes('syncToken') ? user.authToken : user.syncToken;
      const res = await call(server.url, op.method, urlOf(op.template), {
        token: wrong,
        body: bodyOf(op.template, op.method),
      });
      const where = `${op.method.toUpperCase()} ${op.template}`;
      expect([where, res.status]).toEqual([where, 403]);
      if (op.template.includes('/fhir/r4/'))
        expect([where, res.body.resourceType]).toEqual([where, 'OperationOutcome']);
      else expect([where, res.body.error.code]).toEqual([where, 'wrong_token_kind']);
    }
  });

  it('answers no token, and a refresh token presented as a bearer token, with 401', async () => {
    for (const op of gated) {
      for (const token of [undefined, user.refreshToken]) {
        const res = await call(server.url, op.method, urlOf(op.template), {
          ...(token && { token }),
          body: bodyOf(op.template, op.method),
        });
        const where = `${op.method.toUpperCase()} ${op.template} (${token ? 'refresh token' : 'no token'})`;
        expect([where, res.status]).toEqual([where, 401]);
        if (!op.template.includes('/fhir/r4/')) expect([where, res.body.error.code]).toEqual([where, 'unauthorized']);
      }
    }
  });
});
