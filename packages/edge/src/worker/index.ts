/**
 * The Worker entry of ClinicSync on the Workers runtime (PROTOCOL §7): every
 * request goes to the Durable Object that holds the data, which answers it
 * with the same app as the Node server.
 *
 * `clinicsync-edge` has a control channel of its own here, authenticated by
 * the per-launch token it passes as the `CLINICSYNC_EDGE_CONTROL_TOKEN`
 * binding (without that binding, as on Cloudflare, it does not exist; without
 * the token a request is an ordinary one and its control headers are
 * dropped):
 * - each request it forwards carries an id, so that when the client hangs
 *   up, `POST /__clinicsync-edge/cancel` with that id ends the request in
 *   the object (workerd does not tell a Worker that a local client went
 *   away; Cloudflare's edge does, through `request.signal`);
 * - before the runtime stops, `POST /__clinicsync-edge/release-waits` asks
 *   the object to end its waiting pulls, so they answer (empty) instead of
 *   being cut off.
 */
import { sameText } from '@clinicsync/protocol';
import { CONTROL_HEADERS, CONTROL_PATH_PREFIX, type ControlRequest } from './control.ts';
import type { Env } from './env.ts';

export { ClinicSyncData } from './clinic-sync-data.ts';

/** The one object holding a deployment's data (docs/decisions: one object first, per-organization objects next). */
const DATA_OBJECT_NAME = 'clinicsync';

const CONTROL_PATHS: Readonly<Record<string, ControlRequest['kind']>> = {
  [`${CONTROL_PATH_PREFIX}release-waits`]: 'release-waits',
  [`${CONTROL_PATH_PREFIX}cancel`]: 'cancel',
};

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const stub = env.CLINICSYNC_DATA.get(env.CLINICSYNC_DATA.idFromName(DATA_OBJECT_NAME));
    const headers = new Headers(request.headers);
    const token = typeof env.CLINICSYNC_EDGE_CONTROL_TOKEN === 'string' ? env.CLINICSYNC_EDGE_CONTROL_TOKEN : '';
    const trusted = token.length >= 32 && sameText(request.headers.get(CONTROL_HEADERS.token) ?? '', token);
    const requestId = trusted ? request.headers.get(CONTROL_HEADERS.requestId) : null;
    // Only this entry sets the internal headers, and only for the runner that holds the token.
    for (const name of Object.values(CONTROL_HEADERS)) headers.delete(name);
    if (trusted) {
      const kind = CONTROL_PATHS[new URL(request.url).pathname];
      if (kind) headers.set(CONTROL_HEADERS.internal, kind);
      if (requestId) headers.set(CONTROL_HEADERS.requestId, requestId);
    }
    return stub.fetch(new Request(request, { headers }));
  },
};
