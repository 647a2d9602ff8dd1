/**
 * The local API answers the app's own page and nobody else (DESIGN "Client
 * and desktop app"). A request passes only when
 * - its Host is exactly the app's `127.0.0.1:port` (a rebinding DNS name
 *   pointing at 127.0.0.1 carries its own name in Host);
 * - its Origin, when sent, is the app's own, and Sec-Fetch-Site, when sent, is
 *   not cross-site;
 * - for `/api/*`: it carries the per-launch secret in `X-ClinicSync-Secret`.
 *   The secret is random at each launch and only written into the served
 *   page; a custom header also forces a CORS preflight, which is never
 *   answered with CORS headers, so other sites cannot even send it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { localErrorResponse } from './local-error.ts';

export const SECRET_HEADER = 'x-clinicsync-secret';

export type LocalGuardOptions = {
  /** The port the app listens on; read at request time because port 0 is chosen by the OS. */
  readonly port: () => number;
  readonly secret: string;
};

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Refuses requests from other hosts, other origins and, on `/api`, without the launch secret. */
export function guardLocalRequest(options: LocalGuardOptions): MiddlewareHandler {
  return async function guardLocal(c, next) {
    const origin = `http://127.0.0.1:${options.port()}`;
    if (c.req.header('host') !== `127.0.0.1:${options.port()}`) {
      return localErrorResponse(c, 'forbidden', 'This app only answers on its own address.');
    }
    const requestOrigin = c.req.header('origin');
    if (requestOrigin !== undefined && requestOrigin !== origin) {
      return localErrorResponse(c, 'forbidden', 'Requests from other sites are refused.');
    }
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return localErrorResponse(c, 'forbidden', 'Requests from other sites are refused.');
    }
    if (c.req.method === 'OPTIONS') return localErrorResponse(c, 'forbidden', 'Cross-origin requests are not supported.');
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) {
      if (!sameSecret(c.req.header(SECRET_HEADER), options.secret)) {
        return localErrorResponse(c, 'unauthorized', 'This request did not come from the app window. Reload the page.');
      }
    }
    await next();
  };
}

/** Headers on every answer: no framing, no sniffing, no referrer, scripts and connections to this origin only. */
export function securityHeaders(): MiddlewareHandler {
  return async function addSecurityHeaders(c, next) {
    await next();
    c.header('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (c.req.path.startsWith('/api') || c.req.path === '/' || c.req.path.endsWith('.html')) c.header('Cache-Control', 'no-store');
  };
}
