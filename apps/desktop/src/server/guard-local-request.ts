/**
 * The local API answers the person who started the app and nobody else
 * (PROTOCOL §9, docs/architecture.md §7). A request passes only when
 * - its Host is exactly the app's `127.0.0.1:port` (a rebinding DNS name
 *   pointing at 127.0.0.1 carries its own name in Host);
 * - its Origin, when sent, is the app's own, and Sec-Fetch-Site, when sent, is
 *   not cross-site or same-site (another port of 127.0.0.1 is same-site, so
 *   a page of another local program is refused here even though the browser
 *   would send it the cookie);
 * - for `/api/*`: it carries this launch's cookie (launch-access.ts), which
 *   the browser got in exchange for the printed open code, and the page key
 *   in its header (shared/page-key.ts), which only the app's own page sends.
 *   No page the app serves contains either, so a local process without the
 *   code cannot learn them; a program on another port that the browser sent
 *   the cookie to still lacks the key.
 */
import type { MiddlewareHandler } from 'hono';
import { PAGE_KEY_HEADER } from '../shared/page-key.ts';
import { launchCookieName, readCookie, sameValue } from './launch-access.ts';
import { localErrorResponse } from './local-error.ts';

export type LocalGuardOptions = {
  /** The port the app listens on; read at request time because port 0 is chosen by the OS. */
  readonly port: () => number;
  /** The launch secret the cookie must carry. */
  readonly secret: string;
  /** The page key the page-key header must carry on `/api`. */
  readonly pageKey: string;
};

/** True when the request carries this launch's cookie. */
export function hasLaunchCookie(cookieHeader: string | undefined, port: number, secret: string): boolean {
  return sameValue(readCookie(cookieHeader, launchCookieName(port)), secret);
}

/** Refuses requests from other hosts, other origins and, on `/api`, without the launch cookie and the page key. */
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
    if (c.req.method === 'OPTIONS')
      return localErrorResponse(c, 'forbidden', 'Cross-origin requests are not supported.');
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) {
      if (
        !hasLaunchCookie(c.req.header('cookie'), options.port(), options.secret) ||
        !sameValue(c.req.header(PAGE_KEY_HEADER), options.pageKey)
      ) {
        return localErrorResponse(
          c,
          'unauthorized',
          'Open ClinicSync with the link the desktop app printed when it started.',
        );
      }
    }
    await next();
  };
}

/** Headers on every answer: no framing, no sniffing, no referrer, scripts and connections to this origin only. */
export function securityHeaders(): MiddlewareHandler {
  return async function addSecurityHeaders(c, next) {
    await next();
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (c.req.path.startsWith('/api') || c.req.path === '/' || c.req.path.endsWith('.html'))
      c.header('Cache-Control', 'no-store');
  };
}
