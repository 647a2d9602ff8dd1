/**
 * The desktop's local API as another program on the machine meets it: the
 * real bin, spoken to over raw HTTP. Only its own page, on its own address,
 * carrying this launch's secret, gets in; patient data also needs a session.
 */
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesktopProcess, type DesktopProcess } from './support/desktop-process.ts';

type Answer = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

/** A raw request, so the Host header can be anything (as after DNS rebinding). */
function raw(url: string, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: target.hostname, port: target.port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const secretOf = (page: string) => /name="clinicsync-launch-secret" content="([^"]+)"/.exec(page)?.[1] ?? '';

describe('local API seen from other programs', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'clinicsync-local-api-')), 'desktop');
  // Nothing listens on port 9: sign-in meets an unreachable server.
  const serverUrl = 'http://127.0.0.1:9';
  let desktop: DesktopProcess;
  let host: string;
  let secret: string;

  beforeAll(async () => {
    desktop = await startDesktopProcess({ serverUrl, dataDir });
    host = new URL(desktop.url).host;
    secret = secretOf((await raw(desktop.url, '/', { host })).body);
  }, 90_000);
  afterAll(async () => {
    await desktop?.stop();
  });

  it('writes a launch secret into its page and answers the API only with it', async () => {
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect((await raw(desktop.url, '/api/feed?after=0', { host })).status).toBe(401);
    expect((await raw(desktop.url, '/api/feed?after=0', { host, 'x-clinicsync-secret': 'x'.repeat(secret.length) })).status).toBe(401);
    const feed = await raw(desktop.url, '/api/feed?after=0', { host, 'x-clinicsync-secret': secret });
    expect(feed.status).toBe(200);
    expect(JSON.parse(feed.body).session).toEqual({ state: 'signed_out' });
    expect(feed.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a Host other than its own 127.0.0.1 address (DNS rebinding) and other origins', async () => {
    for (const other of ['clinicsync.evil.example', `localhost:${new URL(desktop.url).port}`, `evil.example:${new URL(desktop.url).port}`]) {
      expect((await raw(desktop.url, '/', { host: other })).status, other).toBe(403);
      expect((await raw(desktop.url, '/api/feed?after=0', { host: other, 'x-clinicsync-secret': secret })).status, other).toBe(403);
    }
    expect((await raw(desktop.url, '/api/feed?after=0', { host, origin: 'http://evil.example', 'x-clinicsync-secret': secret })).status).toBe(403);
  });

  it('serves no patient data without a signed-in session, even with the secret', async () => {
    const res = await raw(desktop.url, '/api/orgs', { host, 'x-clinicsync-secret': secret });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('unauthorized');
    expect((await raw(desktop.url, '/api/records/patients', { host, 'x-clinicsync-secret': secret })).status).toBe(401);
    expect((await raw(desktop.url, '/api/sync/conflicts', { host, 'x-clinicsync-secret': secret })).status).toBe(401);
  });

  it('says plainly that sign-in needs the server when it is unreachable', async () => {
    const res = await raw(desktop.url, '/api/session/sign-in', { host, 'x-clinicsync-secret': secret, 'content-type': 'application/json' }, 'POST', JSON.stringify({ email: 'ada@example.org', password: 'whatever' }));
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body).error).toEqual({ code: 'unavailable', message: expect.stringMatching(/cannot be reached/), details: {} });
  });

  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) {
      console.warn('no non-loopback IPv4 interface on this machine; the listen address is checked by the Host test only');
      return;
    }
    const port = new URL(desktop.url).port;
    await expect(raw(`http://${external.address}:${port}`, '/', { host })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('draws a new secret at every launch and keeps the device id', async () => {
    const before = JSON.parse((await raw(desktop.url, '/api/feed?after=0', { host, 'x-clinicsync-secret': secret })).body).device.deviceId;
    await desktop.stop();
    desktop = await startDesktopProcess({ serverUrl, dataDir });
    host = new URL(desktop.url).host;
    const next = secretOf((await raw(desktop.url, '/', { host })).body);
    expect(next).not.toBe(secret);
    expect((await raw(desktop.url, '/api/feed?after=0', { host, 'x-clinicsync-secret': secret })).status).toBe(401);
    const feed = JSON.parse((await raw(desktop.url, '/api/feed?after=0', { host, 'x-clinicsync-secret': next })).body);
    expect(feed.device.deviceId).toBe(before);
    secret = next;
  }, 60_000);
});
