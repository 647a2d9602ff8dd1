/**
 * `GET /app/`: the browser app (PROTOCOL §7), the clinic UI in a tab with its
 * store in the browser. Web-standard only, so the Workers runtime can mount
 * it with its own way of loading the files (`load`); on Node the files come
 * from apps/browser's build (`@clinicsync/browser/build`).
 *
 * Security: every file is served with a strict Content-Security-Policy (only
 * this origin's scripts, no inline script, no eval; WebAssembly compilation
 * for SQLite), no framing, no referrer and no MIME sniffing. Nothing here
 * checks Origin or the port: behind a proxy the app's origin is the proxy's,
 * and the app calls the API on its own origin (`'self'`).
 */
import { ERROR_STATUS, errorBody } from '@clinicsync/protocol';
import { Hono } from 'hono';

export type BrowserAppFile = { readonly body: Uint8Array; readonly type: string };
/** The build: files by path inside the app (`index.html`, `sw.js`, `assets/…`). */
export type BrowserAppBundle = { readonly version: string; readonly files: ReadonlyMap<string, BrowserAppFile> };
export type BrowserAppSource = { readonly load: () => Promise<BrowserAppBundle> };

export const BROWSER_APP_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': BROWSER_APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

function notFound(): Response {
  return Response.json(errorBody('not_found', 'There is no such file in the browser app.'), {
    status: ERROR_STATUS.not_found,
    headers: SECURITY_HEADERS,
  });
}

/** The `/app` routes; mount with `app.route('/app', createBrowserAppRoutes(source))`. */
export function createBrowserAppRoutes(source: BrowserAppSource): Hono {
  const app = new Hono();
  let loading: Promise<BrowserAppBundle> | undefined;
  // Built once, on the first visit; a failed build is tried again on the next one.
  const bundle = () =>
    (loading ??= source.load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));

  // Relative, so a proxy that serves the server under a path keeps it.
  app.get('/', (c) => (c.req.path.endsWith('/') ? serve('index.html') : c.redirect('app/', 301)));
  app.get('/*', (c) => {
    const path = c.req.path.slice(c.req.path.indexOf('/app/') + '/app/'.length);
    return serve(path === '' ? 'index.html' : path);
  });

  async function serve(path: string): Promise<Response> {
    if (path.split('/').some((part) => part === '..' || part === '')) return notFound();
    let files: BrowserAppBundle['files'];
    try {
      ({ files } = await bundle());
    } catch {
      // The build failed (the reason is in the server's log); the API itself keeps working.
      return Response.json(errorBody('unavailable', 'The browser app could not be prepared. Try again in a moment.'), {
        status: ERROR_STATUS.unavailable,
        headers: { ...SECURITY_HEADERS, 'Retry-After': '5' },
      });
    }
    const file = files.get(path);
    if (!file) return notFound();
    // Hashed assets never change; the page, the service worker and the manifest are checked on every start.
    const immutable = path.startsWith('assets/');
    return new Response(file.body as BodyInit, {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': file.type,
        'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      },
    });
  }

  return app;
}
