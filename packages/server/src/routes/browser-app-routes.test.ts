import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { BROWSER_APP_CSP, createBrowserAppRoutes, type BrowserAppBundle } from './browser-app-routes.ts';

const text = (s: string) => new TextEncoder().encode(s);
const bundle: BrowserAppBundle = {
  version: 'abc',
  files: new Map([
    ['index.html', { body: text('<!doctype html><title>ClinicSync</title>'), type: 'text/html; charset=utf-8' }],
    ['sw.js', { body: text('/* sw */'), type: 'text/javascript; charset=utf-8' }],
    ['assets/index-1.js', { body: text('/* app */'), type: 'text/javascript; charset=utf-8' }],
  ]),
};

function appWith(load: () => Promise<BrowserAppBundle>) {
  const app = new Hono();
  app.route('/app', createBrowserAppRoutes({ load }));
  return app;
}

describe('browser app routes', () => {
  const app = appWith(async () => bundle);

  it('serves the page at /app/ under a strict Content-Security-Policy', async () => {
    const res = await app.request('/app/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>ClinicSync</title>');
    expect(res.headers.get('content-security-policy')).toBe(BROWSER_APP_CSP);
    expect(BROWSER_APP_CSP).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(BROWSER_APP_CSP).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('redirects /app to the folder with a relative Location, so a proxy keeps its own host and port', async () => {
    const res = await app.request('/app');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('app/');
  });

  it('serves hashed assets as immutable and the service worker as always revalidated', async () => {
    const asset = await app.request('/app/assets/index-1.js');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-security-policy')).toBe(BROWSER_APP_CSP);
    const sw = await app.request('/app/sw.js');
    expect(sw.status).toBe(200);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404 in the error shape for unknown files and path tricks', async () => {
    for (const path of [
      '/app/nope.js',
      '/app/assets//index-1.js',
      '/app/%2e%2e/secret',
      '/app/assets/%2e%2e/%2e%2e/package.json',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
    }
    expect((await (await app.request('/app/nope.js')).json()).error.code).toBe('not_found');
  });

  it('ignores the Origin and Host of the request (the app works behind a proxy on another port)', async () => {
    const res = await app.request('http://proxy.example:8443/app/', {
      headers: { origin: 'http://proxy.example:8443' },
    });
    expect(res.status).toBe(200);
  });

  it('builds once and tries again after a failed build', async () => {
    let calls = 0;
    const flaky = appWith(async () => {
      calls += 1;
      if (calls === 1) throw new Error('build failed');
      return bundle;
    });
    await expect(flaky.request('/app/')).resolves.toHaveProperty('status', 503);
    expect((await flaky.request('/app/')).status).toBe(200);
    expect((await flaky.request('/app/sw.js')).status).toBe(200);
    expect(calls).toBe(2);
  });
});
