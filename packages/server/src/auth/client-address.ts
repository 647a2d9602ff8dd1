/** The caller's network address, for per-address sign-in limits (PROTOCOL §1). */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * From the socket, or — only when the operator says a proxy of theirs sits in
 * front (`trustProxy`) — the last `X-Forwarded-For` entry, the one that proxy
 * appended; earlier entries are whatever the client chose to send.
 * Requests without a socket (in-process tests) share the address `unknown`.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
