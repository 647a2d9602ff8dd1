import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { guardLocalRequest, securityHeaders } from './guard-local-request.ts';
import { PAGE_KEY_HEADER } from '../shared/page-key.ts';
import { launchCookieHeader, launchCookieName } from './launch-access.ts';

const SECRET = 'launch-secret-0123456789abcdefghijklmnop';
const PAGE_KEY = 'page-key-0123456789abcdefghijklmnopqrstu';

function app() {
  const a = new Hono();
  a.use(securityHeaders());
  a.use(guardLocalRequest({ port: () => 5173, secret: SECRET, pageKey: PAGE_KEY }));
  a.get('/', (c) => c.text('page'));
  a.get('/api/patients', (c) => c.json([{ family_name: 'Bello' }]));
  a.post('/api/patients', (c) => c.json({ ok: true }));
  return a;
}

const OWN = { host: '127.0.0.1:5173' };
const COOKIE = { cookie: launchCookieHeader(5173, SECRET), [PAGE_KEY_HEADER]: PAGE_KEY };

describe('local request guard', () => {
  it('serves the app page and, with the launch cookie, the API to its own origin', async () => {
    expect((await app().request('/', { headers: OWN })).status).toBe(200);
    const res = await app().request('/api/patients', {
      headers: { ...OWN, ...COOKIE, origin: 'http://127.0.0.1:5173', 'sec-fetch-site': 'same-origin' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses the API without the launch cookie, with a wrong one, or with the cookie of another port', async () => {
    const name = launchCookieName(5173);
    const key = { [PAGE_KEY_HEADER]: PAGE_KEY };
    const wrong = [
      OWN,
      { ...OWN, ...key },
      { ...OWN, ...key, cookie: `${name}=guess` },
      { ...OWN, ...key, cookie: `${name}=${SECRET}x` },
      { ...OWN, ...key, cookie: `${name}=` },
      { ...OWN, ...key, cookie: launchCookieHeader(5174, SECRET) },
      // The secret in the old header, or in a cookie of another name, opens nothing.
      { ...OWN, 'x-clinicsync-secret': SECRET },
      { ...OWN, cookie: `clinicsync=${SECRET}` },
    ];
    for (const headers of wrong) {
      const res = await app().request('/api/patients', { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String), details: {} } });
    }
  });

  it('refuses the launch cookie without the page key, or with a wrong one: the browser sends the cookie to other ports too', async () => {
    const cookie = launchCookieHeader(5173, SECRET);
    const extras: Record<string, string>[] = [
      {},
      { [PAGE_KEY_HEADER]: 'guess' },
      { [PAGE_KEY_HEADER]: `${PAGE_KEY}x` },
      { [PAGE_KEY_HEADER]: SECRET },
    ];
    for (const extra of extras) {
      for (const method of ['GET', 'POST']) {
        const res = await app().request('/api/patients', { method, headers: { ...OWN, cookie, ...extra } });
        expect(res.status, `${method} ${JSON.stringify(extra)}`).toBe(401);
      }
    }
  });

  it('refuses a rebinding host name pointing at 127.0.0.1, even with the cookie', async () => {
    for (const host of ['evil.example:5173', 'localhost:5173', '127.0.0.1:8080', '127.0.0.1']) {
      const res = await app().request('/api/patients', { headers: { host, ...COOKIE } });
      expect(res.status, host).toBe(403);
    }
  });

  it('refuses requests sent by other sites, including pages of other programs on another local port, whatever they carry', async () => {
    const cases: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: 'http://127.0.0.1:5174' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const extra of cases) {
      const res = await app().request('/api/patients', { method: 'POST', headers: { ...OWN, ...COOKIE, ...extra } });
      expect(res.status, JSON.stringify(extra)).toBe(403);
    }
  });

  it('answers no CORS preflight', async () => {
    const res = await app().request('/api/patients', {
      method: 'OPTIONS',
      headers: { ...OWN, origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('forbids framing and caching of the page and API answers', async () => {
    const res = await app().request('/', { headers: OWN });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
