/**
 * `call()` holds every answer to a documented operation to the reference.
 * A stub server plays a misbehaving API so each kind of drift is shown to fail.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '../src/openapi/examples.ts';
import { call } from './support/http-client.ts';

type Canned = { status: number; body: string; contentType?: string };

describe('call() checks answers against the API reference', () => {
  let server: Server;
  let base: string;
  let next: Canned = { status: 200, body: '{}' };
  const answer = (status: number, body: unknown, contentType = 'application/json') => {
    next = { status, body: typeof body === 'string' ? body : JSON.stringify(body), contentType };
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(next.status, { 'content-type': next.contentType ?? 'application/json' });
        res.end(next.body);
      });
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('accepts a documented status with a body that matches its schema', async () => {
    answer(200, examples.me);
    await expect(call(base, 'GET', '/v1/me')).resolves.toMatchObject({ status: 200 });
  });

  it('refuses a status the operation does not document', async () => {
    answer(418, { error: { code: 'internal', message: 'teapot', details: {} } });
    await expect(call(base, 'GET', '/v1/me')).rejects.toThrow(/answered 418, which is not documented/);
  });

  it('refuses a field the protocol does not define (closed answers catch leaks)', async () => {
    answer(200, { ...examples.me, user: { ...examples.me.user, passwordHash: '$argon2id$…' } });
    await expect(call(base, 'GET', '/v1/me')).rejects.toThrow(/passwordHash/);
  });

  it('refuses a missing required field and a wrong type', async () => {
    answer(200, { user: examples.me.user });
    await expect(call(base, 'GET', '/v1/me')).rejects.toThrow(/organizations/);
    answer(200, { ...examples.pullResponse, hasMore: 'no' });
    await expect(call(base, 'GET', '/v1/sync/pull?deviceId=x&schemaVersion=1')).rejects.toThrow(
      /hasMore must be boolean/,
    );
  });

  it('refuses an error code that is not listed under that status for the operation', async () => {
    answer(403, { error: { code: 'email_taken', message: 'x', details: {} } });
    await expect(call(base, 'GET', '/v1/me')).rejects.toThrow(/error\/code must be equal to one of the allowed values/);
    answer(409, { error: { code: 'email_taken', message: 'x', details: {} } });
    await expect(call(base, 'POST', '/v1/auth/register', { body: {} })).resolves.toMatchObject({ status: 409 });
  });

  it('refuses an error body without the documented shape', async () => {
    answer(401, { error: 'unauthorized' });
    await expect(call(base, 'GET', '/v1/devices')).rejects.toThrow(/does not match the documented schema/);
  });

  it('refuses a non-JSON body where JSON is documented', async () => {
    answer(200, '<html>oops</html>', 'text/html');
    await expect(call(base, 'GET', '/healthz')).rejects.toThrow(/without a JSON body/);
  });

  it('matches path parameters and query strings to their operation', async () => {
    answer(200, { ok: false });
    await expect(
      call(
        base,
        'DELETE',
        '/v1/orgs/2b7e1516-28ae-4d2a-a6ab-f7158809cf4f/devices/5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716?userId=x',
      ),
    ).rejects.toThrow(/DELETE \/v1\/orgs\/\{orgId\}\/devices\/\{deviceId\}/);
    answer(200, { ok: true });
    await expect(call(base, 'DELETE', '/v1/devices/5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716')).resolves.toMatchObject({
      status: 200,
    });
  });

  it('does not judge routes or methods the reference does not describe', async () => {
    answer(404, 'nothing');
    await expect(call(base, 'GET', '/v1/nothing-here')).resolves.toMatchObject({ status: 404 });
    await expect(call(base, 'PUT', '/v1/me')).resolves.toMatchObject({ status: 404 });
  });

  it('checks only the status of a non-JSON answer such as metrics', async () => {
    answer(200, '# HELP x\n', 'text/plain; version=0.0.4');
    await expect(call(base, 'GET', '/metrics')).resolves.toMatchObject({ status: 200 });
  });

  it('can be told to skip the check for a server that is not the ClinicSync API', async () => {
    answer(418, 'teapot', 'text/plain');
    await expect(call(base, 'GET', '/v1/me', { skipContract: true })).resolves.toMatchObject({ status: 418 });
  });
});
