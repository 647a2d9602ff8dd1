/** The caller's network address, for per-address sign-in limits (PROTOCOL §1). */
import type { Context } from 'hono';
import type { RemoteAddress } from '../server-deps.ts';

/**
 * From the connection (`remoteAddress`, the runtime's answer), or — only when
 * the operator says a proxy of theirs sits in front (`trustProxy`) — the last
 * `X-Forwarded-For` entry, the one that proxy appended; earlier entries are
 * whatever the client chose to send. Requests without a connection
 * (in-process tests) share the address `unknown`.
 */
export function clientAddress(
  c: Context,
  deps: { readonly remoteAddress: RemoteAddress; readonly config: { readonly trustProxy: boolean } },
): string {
  if (deps.config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  try {
    return deps.remoteAddress(c) ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
