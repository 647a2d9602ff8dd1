/**
 * The Worker's bindings (wrangler.toml; `clinicsync-edge` gives the same
 * locally): the Durable Object namespace holding the data, the signing
 * secret as a Workers secret, and the server tunables as plain variables
 * (the same `CLINICSYNC_*` names as on Node, docs/operations.md).
 */
import type { DurableObjectNamespace } from './runtime-types.ts';

export type Env = {
  readonly CLINICSYNC_DATA: DurableObjectNamespace;
  /** `wrangler secret put CLINICSYNC_JWT_SECRET`; when absent, one is generated once and kept in the object's storage. */
  readonly CLINICSYNC_JWT_SECRET?: string;
  readonly LOG_LEVEL?: string;
  /** Set by `clinicsync-edge` only, per launch: authenticates its control request (index.ts). */
  readonly CLINICSYNC_EDGE_CONTROL_TOKEN?: string;
  readonly [name: `CLINICSYNC_${string}`]: unknown;
};

/** The string-valued bindings, as `configFromEnv` reads them. */
export function stringBindings(env: Env): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') values[name] = value;
  return values;
}
