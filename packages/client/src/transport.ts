/**
 * The engine's push and pull over the one server client (server-client.ts):
 * the Bearer sync token from the app's callback, a timeout per request grown
 * by a waiting pull's wait, answers checked against the protocol schemas.
 * Failures are values.
 */
import { pushResponseSchema, type PullResponse, type PushRequest, type PushResponse } from '@clinicsync/protocol';
import type { z } from 'zod';
import { pullPageSchema } from './pull-page-schema.ts';
import {
  createServerClient,
  type ServerCall,
  type ServerClientOptions,
  type TransportResult,
} from './server-client.ts';

export { parseRetryAfter, type TransportFailure, type TransportResult } from './server-client.ts';

export type PullParams = {
  readonly deviceId: string;
  readonly cursor: string | null;
  readonly limit: number;
  readonly schemaVersion: number;
  /** Seconds the server may hold the pull (a waiting pull, PROTOCOL §4 "Live"); the request's timeout grows by as much. */
  readonly wait?: number;
};

export type Transport = {
  push(request: PushRequest, signal: AbortSignal): Promise<TransportResult<PushResponse>>;
  pull(params: PullParams, signal: AbortSignal): Promise<TransportResult<PullResponse>>;
};

/** The server client's options, and where the sync token comes from. */
export type TransportOptions = ServerClientOptions & {
  readonly getSyncToken: () => Promise<string | null> | string | null;
};

export function createTransport(options: TransportOptions): Transport {
  const client = createServerClient(options);

  async function send<S extends z.ZodType>(
    call: Omit<ServerCall, 'token'>,
    schema: S,
  ): Promise<TransportResult<z.infer<S>>> {
    let token: string | null;
    try {
      token = await options.getSyncToken();
    } catch {
      // A locked keyring is as good as no token: ask for sign-in, keep the outbox.
      token = null;
    }
    if (!token) return { ok: false, failure: { kind: 'no_token' } };
    return client.send({ ...call, token }, schema);
  }

  return {
    push: (request, signal) =>
      send({ method: 'POST', path: 'v1/sync/push', body: request, signal }, pushResponseSchema),
    pull: (params, signal) => {
      const query = new URLSearchParams({
        deviceId: params.deviceId,
        limit: String(params.limit),
        schemaVersion: String(params.schemaVersion),
      });
      if (params.cursor !== null) query.set('cursor', params.cursor);
      if (params.wait) query.set('wait', String(params.wait));
      return send(
        { method: 'GET', path: `v1/sync/pull?${query.toString()}`, signal, heldMs: (params.wait ?? 0) * 1000 },
        pullPageSchema,
      );
    },
  };
}
