/**
 * The Worker entry of ClinicSync on the Workers runtime (PROTOCOL §7): every
 * request goes to the Durable Object that holds the data, which answers it
 * with the same app as the Node server.
 *
 * One control request exists for `clinicsync-edge`: before the local runtime
 * stops, it asks the object to end its waiting pulls, so they answer (empty)
 * instead of being cut off. It needs the per-launch token the runner passes
 * as the `CLINICSYNC_EDGE_CONTROL_TOKEN` binding; without that binding (on
 * Cloudflare) it does not exist, and without the token the request is an
 * ordinary one (the app answers 404).
 */
import type { Env } from './env.ts';

export { ClinicSyncData } from './clinic-sync-data.ts';

/** The one object holding a deployment's data (docs/decisions: one object first, per-organization objects next). */
const DATA_OBJECT_NAME = 'clinicsync';

const CONTROL_PATH = '/__clinicsync-edge/release-waits';
const CONTROL_HEADER = 'x-clinicsync-edge-control';
/** Set only by this entry on the control request, never passed through from a client. */
// Module exports of a Worker entry must be handlers or classes, so these stay private.
const INTERNAL_HEADER = 'x-clinicsync-internal';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const stub = env.CLINICSYNC_DATA.get(env.CLINICSYNC_DATA.idFromName(DATA_OBJECT_NAME));
    const headers = new Headers(request.headers);
    headers.delete(INTERNAL_HEADER);
    const token = typeof env.CLINICSYNC_EDGE_CONTROL_TOKEN === 'string' ? env.CLINICSYNC_EDGE_CONTROL_TOKEN : '';
    if (
      token.length >= 32 &&
      new URL(request.url).pathname === CONTROL_PATH &&
      sameText(request.headers.get(CONTROL_HEADER) ?? '', token)
    ) {
      headers.delete(CONTROL_HEADER);
      headers.set(INTERNAL_HEADER, 'release-waits');
    }
    return stub.fetch(new Request(request, { headers }));
  },
};

/** Compares in time that does not depend on where the texts differ. */
function sameText(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
