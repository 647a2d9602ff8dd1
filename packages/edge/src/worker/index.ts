/**
 * The Worker entry of ClinicSync on the Workers runtime (PROTOCOL §7): every
 * request goes to the Durable Object that holds the data, which answers it
 * with the same app as the Node server.
 */
import type { Env } from './env.ts';

export { ClinicSyncData } from './clinic-sync-data.ts';

/** The one object holding a deployment's data (docs/decisions: one object first, per-organization objects next). */
const DATA_OBJECT_NAME = 'clinicsync';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const stub = env.CLINICSYNC_DATA.get(env.CLINICSYNC_DATA.idFromName(DATA_OBJECT_NAME));
    return stub.fetch(request);
  },
};
