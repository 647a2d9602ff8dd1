import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/http-client.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { testApp } from './support/test-deps.ts';

describe('the server process', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server.stop());

  it('answers /healthz with 200', async () => {
    const res = await call(server.url, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers an unknown route with the documented error shape', async () => {
    const res = await call(server.url, 'GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'not_found', message: expect.any(String), details: expect.any(Object) },
    });
  });

  it('marks every answer not to be sniffed: the API shares its origin with the browser app', async () => {
    // A JSON answer, an error (JSON and FHIR's), a 405, the metrics text: none may be read as a page or a script.
    const answers = await Promise.all([
      call(server.url, 'GET', '/healthz'),
      call(server.url, 'GET', '/v1/sync/schema'),
      call(server.url, 'GET', '/v1/me'),
      call(server.url, 'GET', '/v1/nothing-here'),
      call(server.url, 'PUT', '/v1/auth/register'),
      call(server.url, 'GET', '/v1/orgs/6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b/fhir/r4/Patient'),
      call(server.url, 'GET', '/metrics'),
    ]);
    for (const res of answers) expect(res.headers.get('x-content-type-options'), String(res.status)).toBe('nosniff');
  });

  it("answers a client's request for the edge runner's control routes as any unknown route", async () => {
    // On the edge runtime these paths are the runner's own channel to the Worker (releasing every waiting pull,
    // cancelling a request): reaching them through the public address would let anyone end everyone's waits.
    for (const path of ['/__clinicsync-edge/release-waits', '/__clinicsync-edge/cancel'])
      for (const method of ['POST', 'GET'] as const) {
        const res = await call(server.url, method, path);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
  });

  it('refuses a body over the limit with 413 payload_too_large', async () => {
    const res = await call(server.url, 'POST', '/v1/auth/register', {
      rawBody: `{"x":"${'a'.repeat(6 * 1024 * 1024)}"}`,
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    // Answered before the app on the edge (its front), and still marked as every answer is.
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a body of undeclared length with 413 once it passes the limit', async () => {
    // Chunked, no Content-Length: the limit is only known to be passed while the body streams in.
    const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"x":"'));
        sent += chunk.byteLength;
        if (sent > 6 * 1024 * 1024) {
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        } else controller.enqueue(chunk);
      },
    });
    const res = await fetch(new URL('/v1/auth/register', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await res.json()).error.code).toBe('payload_too_large');
    // The server still answers on a new connection.
    expect((await call(server.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('exits cleanly on SIGTERM', async () => {
    const other = await startServerProcess();
    await other.stop();
    expect(other.child.exitCode).toBe(0);
  });
});

describe('createApp', () => {
  it('gives every request a request id header', async () => {
    const { app, close } = await testApp();
    const res = await app.request('/healthz');
    expect(res.headers.get('x-request-id')).toMatch(/.+/);
    await close();
  });
});

describe('the server data folder', () => {
  it('keeps the database and the secret readable by the server user only', async () => {
    const { statSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const server = await startServerProcess({ env: { CLINICSYNC_JWT_SECRET: '' } });
    try {
      await call(server.url, 'GET', '/healthz');
      expect(statSync(server.dataDir).mode & 0o077).toBe(0);
      for (const file of readdirSync(server.dataDir)) {
        expect(statSync(join(server.dataDir, file)).mode & 0o077, file).toBe(0);
      }
      // On Node a SQLite file and a generated key file; on the edge the Durable Object storage, which holds the generated key too.
      const expected = server.runtime === 'edge' ? ['durable-objects'] : ['server.sqlite', 'server-secret.key'];
      expect(readdirSync(server.dataDir)).toEqual(expect.arrayContaining(expected));
    } finally {
      await server.stop();
    }
  });
});

describe('/metrics', () => {
  it('serves Prometheus text, and requires the metrics token when one is set', async () => {
    const { app, close } = await testApp({ config: { metricsToken: 'metrics-token-of-some-length' } });
    expect((await app.request('/metrics')).status).toBe(401);
    const res = await app.request('/metrics', { headers: { authorization: 'Bearer metrics-token-of-some-length' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('clinicsync_http_requests_total');
    await close();
  });
});
