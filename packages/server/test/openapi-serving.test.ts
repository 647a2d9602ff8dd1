/** The server process serves the reference at `/v1/openapi.json` and its page at `/docs`, with no token and no CDN. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../src/openapi/build-document.ts';
import { call } from './support/http-client.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describe('serving the API reference', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server.stop());

  it('serves the generated document at /v1/openapi.json without a token', async () => {
    const res = await call(server.url, 'GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('serves the reference page with a same-origin-only content security policy', async () => {
    const res = await fetch(new URL('/docs', server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<div id="swagger-ui">');
    // Every script and stylesheet is local: nothing is fetched from another origin.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves Swagger UI from the installed package, with content types', async () => {
    for (const [file, type] of [
      ['swagger-ui-bundle.js', /^text\/javascript/],
      ['swagger-ui.css', /^text\/css/],
      ['favicon-32x32.png', /^image\/png/],
      ['initializer.js', /^text\/javascript/],
    ] as const) {
      const res = await fetch(new URL(`/docs/${file}`, server.url));
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toMatch(type);
      expect((await res.arrayBuffer()).byteLength, file).toBeGreaterThan(100);
    }
    expect(await (await fetch(new URL('/docs/initializer.js', server.url))).text()).toContain('v1/openapi.json');
  });

  it('answers any other file under /docs with 404 not_found, never reading outside the package', async () => {
    for (const path of [
      '/docs/package.json',
      '/docs/index.html',
      '/docs/..%2F..%2Fpackage.json',
      '/docs/%2e%2e%2fserver-secret.key',
    ]) {
      const res = await call(server.url, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('not_found');
    }
  });

  it("sends /docs/ to /docs, where the page's relative links resolve", async () => {
    const res = await fetch(new URL('/docs/', server.url), { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(new URL(res.headers.get('location')!, new URL('/docs/', server.url)).pathname).toBe('/docs');
  });
});
