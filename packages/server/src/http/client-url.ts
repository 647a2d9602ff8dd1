/**
 * The URL of a request as its client wrote it. Behind a proxy that forwards
 * under another host (`proxy_pass http://127.0.0.1:8787`), the request's own
 * URL names the proxy's upstream, and links built from it lead nowhere; an
 * operator then sets the public address (`CLINICSYNC_PUBLIC_URL`) and the
 * server writes its absolute links with it. Forwarded headers are not read:
 * any client can send them, and an address set once by the operator cannot
 * be steered by a request.
 */
import { z } from 'zod';

/** An operator's public address: http(s), no credentials, query or fragment; kept without a trailing slash. */
export const publicUrlSchema = z.string().transform((text, ctx) => {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash) {
    ctx.addIssue({ code: 'custom', message: 'an http(s) address without credentials, query or fragment' });
    return z.NEVER;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
});

/** `requestUrl` with its origin replaced by `publicUrl` (whose path, if any, goes before the request's). */
export function clientUrl(requestUrl: string, publicUrl: string | undefined): string {
  if (publicUrl === undefined) return requestUrl;
  const url = new URL(requestUrl);
  return `${publicUrl}${url.pathname}${url.search}`;
}

/** The origin (and path prefix) clients use, for links to this server's own routes. */
export function clientOrigin(requestUrl: string, publicUrl: string | undefined): string {
  return publicUrl ?? new URL(requestUrl).origin;
}
