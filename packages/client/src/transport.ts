/**
 * HTTP to the sync server with `fetch` (Web standard, so the engine also runs
 * in a browser): Bearer sync token from the app's callback, a timeout per
 * request, answers checked against the protocol schemas. Failures are values.
 */
import {
  errorBodySchema,
  pullResponseSchema,
  pushResponseSchema,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type ErrorCode,
} from '@clinicsync/protocol';
import type { z } from 'zod';
import type { Clock } from './deps.ts';

export type TransportFailure =
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'timeout' }
  /** The engine is stopping; not a failure of the server. */
  | { readonly kind: 'aborted' }
  | { readonly kind: 'no_token' }
  | {
      readonly kind: 'http';
      readonly status: number;
      /** The protocol's code from the error body; `unknown` when the body is not a protocol error (a proxy's page). */
      readonly code: ErrorCode | 'unknown';
      readonly message: string;
      readonly retryAfterMs?: number;
    }
  | { readonly kind: 'invalid_response'; readonly status: number; readonly message: string };

export type TransportResult<T> =
  | { readonly ok: true; readonly body: T }
  | { readonly ok: false; readonly failure: TransportFailure };

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

export type TransportOptions = {
  readonly serverUrl: string;
  readonly getSyncToken: () => Promise<string | null> | string | null;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly clock: Clock;
};

export function createTransport(options: TransportOptions): Transport {
  const base = options.serverUrl.endsWith('/') ? options.serverUrl : `${options.serverUrl}/`;

  async function send<S extends z.ZodType>(
    path: string,
    init: RequestInit,
    schema: S,
    signal: AbortSignal,
    heldMs = 0,
  ): Promise<TransportResult<z.infer<S>>> {
    let token: string | null;
    try {
      token = await options.getSyncToken();
    } catch {
      // A locked keyring is as good as no token: ask for sign-in, keep the outbox.
      token = null;
    }
    if (!token) return { ok: false, failure: { kind: 'no_token' } };
    const timeout = AbortSignal.timeout(options.timeoutMs + heldMs);
    const combined = AbortSignal.any([signal, timeout]);
    const aborted = (): TransportFailure => (signal.aborted ? { kind: 'aborted' } : { kind: 'timeout' });
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(new URL(path, base), {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          authorization: `Bearer ${token}`,
          accept: 'application/json',
        },
        signal: combined,
      });
      text = await response.text();
    } catch (error) {
      if (combined.aborted) return { ok: false, failure: aborted() };
      return {
        ok: false,
        failure: { kind: 'network', message: error instanceof Error ? error.message : 'request failed' },
      };
    }
    const body = parseJson(text);
    if (!response.ok) return { ok: false, failure: httpFailure(response, body, options.clock) };
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      return {
        ok: false,
        failure: {
          kind: 'invalid_response',
          status: response.status,
          message: 'The server answer does not match the protocol.',
        },
      };
    }
    return { ok: true, body: parsed.data };
  }

  return {
    push: (request, signal) =>
      send(
        'v1/sync/push',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) },
        pushResponseSchema,
        signal,
      ),
    pull: (params, signal) => {
      const query = new URLSearchParams({
        deviceId: params.deviceId,
        limit: String(params.limit),
        schemaVersion: String(params.schemaVersion),
      });
      if (params.cursor !== null) query.set('cursor', params.cursor);
      if (params.wait) query.set('wait', String(params.wait));
      return send(
        `v1/sync/pull?${query.toString()}`,
        { method: 'GET' },
        pullResponseSchema,
        signal,
        (params.wait ?? 0) * 1000,
      );
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function httpFailure(response: Response, body: unknown, clock: Clock): TransportFailure {
  const error = errorBodySchema.safeParse(body);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock);
  return {
    kind: 'http',
    status: response.status,
    code: error.success ? error.data.error.code : 'unknown',
    message: error.success ? error.data.error.message : `HTTP ${response.status}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** `Retry-After` in seconds or as an HTTP date. */
export function parseRetryAfter(header: string | null, clock: Clock): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - clock.now().getTime());
}
