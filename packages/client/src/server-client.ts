/**
 * The one HTTP client for the sync server's API, with `fetch` (Web standard,
 * so it also runs in a browser worker): the engine's transport (push, pull)
 * and the desktop's account and admin calls both send through it. Paths are
 * resolved under the server URL (a server behind a path prefix keeps it), a
 * request has a timeout, every answer is checked against its protocol schema,
 * and the one place that reads the protocol's error body lives here. Failures
 * are values, never thrown.
 */
import { errorBodySchema, type ErrorCode } from '@clinicsync/protocol';
import type { z } from 'zod';
import { clockOffsetMs } from './clock-offset.ts';
import type { Clock } from './deps.ts';

export type TransportFailure =
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'timeout' }
  /** The caller is stopping; not a failure of the server. */
  | { readonly kind: 'aborted' }
  | { readonly kind: 'no_token' }
  | {
      readonly kind: 'http';
      readonly status: number;
      /** The protocol's code from the error body; `unknown` when the body is not a protocol error (a proxy's page). */
      readonly code: ErrorCode | 'unknown';
      /** A sentence for the person: the server's own, or one saying the answer was not understood. */
      readonly message: string;
      /** The error body's details (codes and paths only), when it has any. */
      readonly details?: Readonly<Record<string, unknown>>;
      readonly retryAfterMs?: number;
    }
  | { readonly kind: 'invalid_response'; readonly status: number; readonly message: string };

export type TransportResult<T> =
  | { readonly ok: true; readonly body: T }
  | { readonly ok: false; readonly failure: TransportFailure };

export type ServerCall = {
  readonly method: string;
  /** Under the server URL, e.g. `v1/sync/push` (a leading `/` is allowed and means the same). */
  readonly path: string;
  readonly token?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** The caller's stop; its abort answers `aborted`, the timeout `timeout`. */
  readonly signal?: AbortSignal;
  /** Time the server may hold the request on purpose (a waiting pull); the timeout grows by as much. */
  readonly heldMs?: number;
};

export type ServerClientOptions = {
  readonly serverUrl: string;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly clock: Clock;
  /** Told this device's clock minus the server's after every answer that says the server's time (clock-offset.ts). */
  readonly onClockOffset?: (offsetMs: number) => void;
};

export type ServerClient = {
  /** Sends one call; `schema` checks a 2xx answer's body (`null`: the body is not read as anything). */
  send<S extends z.ZodType>(call: ServerCall, schema: S | null): Promise<TransportResult<z.infer<S>>>;
};

const unreadableAnswer = (status: number) => `The server answered in an unexpected way (HTTP ${status}).`;

export function createServerClient(options: ServerClientOptions): ServerClient {
  const base = options.serverUrl.endsWith('/') ? options.serverUrl : `${options.serverUrl}/`;

  return {
    async send<S extends z.ZodType>(call: ServerCall, schema: S | null): Promise<TransportResult<z.infer<S>>> {
      const timeout = AbortSignal.timeout(options.timeoutMs + (call.heldMs ?? 0));
      const combined = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
      const headers: Record<string, string> = { accept: 'application/json' };
      if (call.token) headers.authorization = `Bearer ${call.token}`;
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      let text: string;
      try {
        response = await options.fetch(new URL(call.path.replace(/^\/+/, ''), base), {
          method: call.method,
          headers,
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          signal: combined,
        });
        if (options.onClockOffset) {
          const offset = clockOffsetMs(response.headers, options.clock.now().getTime());
          if (offset !== undefined) options.onClockOffset(offset);
        }
        text = await response.text();
      } catch (error) {
        if (combined.aborted)
          return { ok: false, failure: call.signal?.aborted ? { kind: 'aborted' } : { kind: 'timeout' } };
        return {
          ok: false,
          failure: { kind: 'network', message: error instanceof Error ? error.message : 'request failed' },
        };
      }
      const body = parseJson(text);
      if (!response.ok) return { ok: false, failure: httpFailure(response, body, options.clock) };
      if (schema === null) return { ok: true, body: undefined as z.infer<S> };
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        return {
          ok: false,
          failure: { kind: 'invalid_response', status: response.status, message: unreadableAnswer(response.status) },
        };
      }
      return { ok: true, body: parsed.data };
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

/** A refused request as the person sees it: the protocol error body's code, sentence and details, or that it was not understood. */
function httpFailure(response: Response, body: unknown, clock: Clock): TransportFailure {
  const error = errorBodySchema.safeParse(body);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock);
  const details = error.success ? error.data.error.details : {};
  return {
    kind: 'http',
    status: response.status,
    code: error.success ? error.data.error.code : 'unknown',
    message: error.success ? error.data.error.message : unreadableAnswer(response.status),
    ...(Object.keys(details).length === 0 ? {} : { details }),
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
