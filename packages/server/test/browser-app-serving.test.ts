/**
 * `GET /app/` (PROTOCOL §7) over HTTP: the page, its script and style, the
 * service worker and every file it precaches (the engine worker, the SQLite
 * .wasm, icons, manifest) answer with their content types and the strict
 * Content-Security-Policy, on whichever runtime CLINICSYNC_TEST_RUNTIME
 * picks. A last check starts the other runtime too and compares: the edge
 * serves byte for byte, header for header, what Node serves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, TEST_RUNTIME, type ServerProcess } from './support/server-process.ts';

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; worker-src 'self'; manifest-src 'self'; font-src 'self'; object-src 'none'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  wasm: 'application/wasm',
  png: 'image/png',
  svg: 'image/svg+xml',
  webmanifest: 'application/manifest+json',
};

/** Headers both runtimes must give every file alike. */
const COMPARED_HEADERS = [
  'content-type',
  'cache-control',
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'x-frame-options',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'permissions-policy',
];

function expectAppHeaders(res: Response): void {
  expect(res.headers.get('content-security-policy')).toBe(CSP);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

/** The service worker's precache list, written into sw.js by the build. */
function precacheList(sw: string): { version: string; files: string[] } {
  const literal = /JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(sw)?.[1];
  if (!literal) throw new Error('sw.js holds no precache list');
  return JSON.parse(JSON.parse(literal) as string) as { version: string; files: string[] };
}

function typeOf(file: string): string {
  const ext = file === './' ? 'html' : (file.split('.').pop() ?? '');
  const type = TYPES[ext];
  if (!type) throw new Error(`no expected content type for ${file}`);
  return type;
}

describe(`the browser app at /app/ (${TEST_RUNTIME})`, () => {
  let server: ServerProcess;
  const app = (path: string) => new URL(`/app/${path}`, server.url);

  beforeAll(async () => {
    server = await startServerProcess();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('redirects /app to /app/ relatively and serves the page with the strict CSP', async () => {
    const bare = await fetch(new URL('/app', server.url), { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('app/');
    await bare.body?.cancel();

    // The first visit may build the app on Node (it is built into the bundle on the edge).
    const res = await fetch(app(''));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(TYPES.html);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expectAppHeaders(res);
    const html = await res.text();
    expect(html).toContain('<div id="root"></div>');
    // No inline script: the CSP would refuse it.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    const script = /<script[^>]+src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /<link[^>]+rel="stylesheet"[^>]+href="\.\/(assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(script, 'the page loads its script from assets/').toBeDefined();
    expect(style, 'the page loads its style from assets/').toBeDefined();
    for (const [path, type] of [
      [script!, TYPES.js],
      [style!, TYPES.css],
    ] as const) {
      const asset = await fetch(app(path));
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('content-type'), path).toBe(type);
      expect(asset.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      expectAppHeaders(asset);
      expect((await asset.arrayBuffer()).byteLength, path).toBeGreaterThan(0);
    }
  }, 180_000);

  it('serves the service worker and every file it precaches, the SQLite .wasm intact', async () => {
    const sw = await fetch(app('sw.js'));
    expect(sw.status).toBe(200);
    expect(sw.headers.get('content-type')).toBe(TYPES.js);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expectAppHeaders(sw);
    const { files } = precacheList(await sw.text());
    expect(files).toContain('./');
    expect(files).toContain('./manifest.webmanifest');
    expect(files.some((file) => /^\.\/assets\/engine-worker-[^/]+\.js$/.test(file))).toBe(true);
    const wasm = files.filter((file) => file.endsWith('.wasm'));
    expect(wasm).toHaveLength(1);

    for (const file of files) {
      const res = await fetch(app(file.slice(2)));
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toBe(typeOf(file));
      expectAppHeaders(res);
      const body = new Uint8Array(await res.arrayBuffer());
      expect(body.byteLength, file).toBeGreaterThan(0);
      // A binary file that went through a text encoding on the way would lose its magic number or its length.
      if (file.endsWith('.wasm')) {
        expect([...body.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
        expect(body.byteLength).toBeGreaterThan(100_000);
        expect(await WebAssembly.validate(body)).toBe(true);
      }
      if (file.endsWith('.png')) expect([...body.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      if (file.endsWith('.webmanifest')) expect(JSON.parse(new TextDecoder().decode(body))).toHaveProperty('name');
    }
  }, 120_000);

  it('answers 404 with the error envelope (and the CSP) for a file the app does not have', async () => {
    for (const path of ['assets/nothing-here.js', 'src/page/main.tsx', 'assets//sw.js', 'build/x']) {
      const res = await fetch(app(path));
      expect(res.status, path).toBe(404);
      expectAppHeaders(res);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe('not_found');
    }
  });

  it('serves the same files with the same headers as the other runtime', async () => {
    const other = await startServerProcess({ runtime: TEST_RUNTIME === 'edge' ? 'node' : 'edge' });
    try {
      const sw = await fetch(app('sw.js')).then((res) => res.text());
      const { files } = precacheList(sw);
      for (const file of ['sw.js', ...files.map((f) => f.slice(2))]) {
        const [mine, theirs] = await Promise.all([fetch(app(file)), fetch(new URL(`/app/${file}`, other.url))]);
        expect(theirs.status, file).toBe(mine.status);
        for (const name of COMPARED_HEADERS)
          expect(theirs.headers.get(name), `${file} ${name}`).toBe(mine.headers.get(name));
        const [a, b] = await Promise.all([mine.arrayBuffer(), theirs.arrayBuffer()]);
        expect(Buffer.from(b).equals(Buffer.from(a)), `${file} bytes`).toBe(true);
      }
    } finally {
      await other.stop();
    }
  }, 180_000);
});
