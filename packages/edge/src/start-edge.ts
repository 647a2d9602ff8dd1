/**
 * Starts the Worker under workerd through Miniflare: the same bundle
 * `wrangler deploy` ships, the same bindings as wrangler.toml, and Durable
 * Object storage persisted in a folder. Used by `clinicsync-edge`, the
 * black-box suites (CLINICSYNC_TEST_RUNTIME=edge) and the benchmarks.
 *
 * workerd listens on a loopback port of its own; the address clients use is
 * a small Node front that hands each request to it. The front is what
 * Cloudflare's edge is when deployed: it sets `CF-Connecting-IP` from the
 * connection (replacing whatever a client sent, so per-address limits
 * cannot be dodged), it refuses a body over the size limit before any of it
 * reaches the runtime (as Cloudflare refuses bodies over its own limit), and
 * on stop it finishes the requests in flight before the runtime goes down,
 * as the Node server does.
 */
import { serve } from '@hono/node-server';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join, resolve } from 'node:path';
import type { Server } from 'node:net';
import { Miniflare } from 'miniflare';
import { ApiError } from '@clinicsync/protocol';
import { listening } from '../../client/src/node/listening.ts';
// Single modules, not the whole server core: this runs at every start.
import { DEFAULT_CONFIG } from '../../server/src/config.ts';
import { configFromEnv } from '../../server/src/config-from-env.ts';
import { errorBodyOf, payloadTooLarge } from '../../server/src/http/payload-too-large.ts';
import { CONTROL_HEADERS, CONTROL_PATH_PREFIX } from './worker/control.ts';
import { loadWorkerBundle } from './worker-bundle-cache.ts';

/** Miniflare's header for the URL a request had before it was handed to workerd (its entry worker restores it). */
const ORIGINAL_URL_HEADER = 'mf-original-url';

/** The Workers compatibility settings, kept equal to wrangler.toml's (a test compares them). */
export const COMPATIBILITY_DATE = '2026-04-20';
export const COMPATIBILITY_FLAGS = ['nodejs_compat', 'enable_request_signal'] as const;

export type EdgeOptions = {
  readonly port: number;
  readonly host: string;
  readonly persistDir: string;
  /** `CLINICSYNC_*` and `LOG_LEVEL` become the Worker's bindings; nothing else of the environment reaches it. */
  readonly env: Readonly<Record<string, string | undefined>>;
};

export type RunningEdge = {
  readonly url: string;
  close(): Promise<void>;
};

export async function startEdge(options: EdgeOptions): Promise<RunningEdge> {
  const persistDir = resolve(options.persistDir);
  mkdirSync(persistDir, { recursive: true, mode: 0o700 });
  const bindings: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.env)) {
    if ((name.startsWith('CLINICSYNC_') || name === 'LOG_LEVEL') && value !== undefined && value !== '')
      bindings[name] = value;
  }
  // Authenticates the runner's control requests (src/worker/index.ts).
  const controlToken = randomBytes(32).toString('hex');
  bindings.CLINICSYNC_EDGE_CONTROL_TOKEN = controlToken;
  const script = await loadWorkerBundle();
  const mf = new Miniflare({
    modules: true,
    script,
    // Module names are relative to this root; the bundle is one module, named as it would be on disk.
    modulesRoot: persistDir,
    scriptPath: join(persistDir, 'worker.js'),
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: [...COMPATIBILITY_FLAGS],
    durableObjects: { CLINICSYNC_DATA: { className: 'ClinicSyncData', useSQLite: true } },
    durableObjectsPersist: join(persistDir, 'durable-objects'),
    bindings,
    host: '127.0.0.1',
    port: 0,
  });
  const runtime = await mf.ready;
  const bodyLimitBytes = configFromEnv(options.env).bodyLimitBytes ?? DEFAULT_CONFIG.bodyLimitBytes;
  const control = new RuntimeControl(runtime, controlToken);

  const front = serve({
    // An HTTP/1.1 listener (no `createServer` option): its requests are IncomingMessages.
    // A forward that fails (the runtime gone mid-request) answers the protocol's 500, not the adapter's plain text.
    fetch: (request, env) =>
      forward(control, request, env.incoming as IncomingMessage, bodyLimitBytes).catch(() =>
        frontError(internalError()),
      ),
    port: options.port,
    hostname: options.host,
  });
  try {
    await listening(front as Server, { host: options.host, port: options.port });
  } catch (error) {
    await mf.dispose();
    throw error;
  }
  const address = front.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((done) => {
          front.close(() => done());
          (front as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        });
        // Waiting pulls would hold the close for their whole wait: they answer their empty page now.
        await control.send('release-waits');
        await closed;
        await mf.dispose();
      })()),
  };
}

/**
 * Hands one request to workerd with the connection's address as `CF-Connecting-IP`.
 *
 * A body over the limit is refused here, not by the app inside the runtime:
 * workerd resets a connection whose request body its answer left unread, and
 * the reset can reach this side before the answer does, so the app's own 413
 * would arrive as a failed forward (a 500). A declared length over the limit
 * is refused before anything is forwarded; a body of undeclared length is
 * counted as it streams and cut off past the limit.
 */
async function forward(
  control: RuntimeControl,
  request: Request,
  incoming: IncomingMessage,
  bodyLimitBytes: number,
): Promise<Response> {
  const target = new URL(request.url);
  const headers = new Headers(request.headers);
  // Hop-by-hop headers belong to the client's connection, not this one; compression is left to the front's client.
  for (const name of HOP_BY_HOP) headers.delete(name);
  headers.delete('accept-encoding');
  headers.set('cf-connecting-ip', incoming.socket.remoteAddress ?? 'unknown');
  // The Worker sees the URL the client used, not the runtime's inner port, as it would on Cloudflare: the links
  // it writes (FHIR paging, export jobs) must work from the client's side and after a restart. Miniflare's entry
  // reads this header; set here, a client's own value never reaches it.
  headers.set(ORIGINAL_URL_HEADER, request.url);
  // workerd does not tell the Worker that a client hung up: this side does, by the request's id.
  const requestId = randomUUID();
  // A client's request for the runner's own control paths goes without the token: the Worker then treats it as
  // any request, and the app answers 404, instead of releasing every waiting pull for an anonymous caller.
  for (const name of Object.values(CONTROL_HEADERS)) headers.delete(name);
  if (!target.pathname.startsWith(CONTROL_PATH_PREFIX)) {
    headers.set(CONTROL_HEADERS.token, control.token);
    headers.set(CONTROL_HEADERS.requestId, requestId);
  }
  let answered = false;
  const onHangUp = () => answered || void control.send('cancel', requestId);
  request.signal.addEventListener('abort', onHangUp, { once: true });
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  if (hasBody && Number(request.headers.get('content-length')) > bodyLimitBytes) return tooLarge(bodyLimitBytes);
  const body = hasBody ? requestBody(incoming, bodyLimitBytes) : undefined;
  let answer: Response;
  try {
    answer = await fetch(new URL(`${target.pathname}${target.search}`, control.runtime), {
      method: request.method,
      headers,
      redirect: 'manual',
      // A client that hangs up ends the request in the runtime too (a waiting pull stops costing anything).
      signal: request.signal,
      ...(body ? { body: body.stream, duplex: 'half' } : {}),
    } as RequestInit);
  } catch (error) {
    if (body?.overLimit()) return tooLarge(bodyLimitBytes);
    throw error;
  } finally {
    answered = true;
    request.signal.removeEventListener('abort', onHangUp);
  }
  const answerHeaders = new Headers(answer.headers);
  // fetch has already decoded any body encoding; the length is the front's to set.
  for (const name of ['content-encoding', 'content-length', ...HOP_BY_HOP]) answerHeaders.delete(name);
  return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: answerHeaders });
}

/** The runner's control requests to the Worker (src/worker/index.ts), authenticated by the per-launch token. */
class RuntimeControl {
  constructor(
    readonly runtime: URL,
    readonly token: string,
  ) {}

  /** Best effort: a runtime that is already gone has nothing left to end. */
  async send(kind: 'release-waits' | 'cancel', requestId?: string): Promise<void> {
    const headers: Record<string, string> = { [CONTROL_HEADERS.token]: this.token };
    if (requestId) headers[CONTROL_HEADERS.requestId] = requestId;
    await fetch(new URL(`${CONTROL_PATH_PREFIX}${kind}`, this.runtime), { method: 'POST', headers }).then(
      (res) => res.body?.cancel(),
      () => undefined,
    );
  }
}

/** The app's answer to a body over the limit, made here (see `forward`). */
function tooLarge(limitBytes: number): Response {
  return frontError(payloadTooLarge(limitBytes));
}

function internalError(): ApiError {
  return new ApiError('internal', 'Something went wrong on the server. The request can be retried.');
}

/** An answer the front makes itself, with the headers every answer of the app has (app.ts). */
function frontError(error: ApiError): Response {
  return Response.json(errorBodyOf(error), {
    status: error.status,
    headers: { 'x-request-id': randomUUID(), 'x-content-type-options': 'nosniff' },
  });
}

/**
 * The request body as a stream that, when the runtime answers before reading
 * all of it, discards the rest instead of destroying the connection, so the
 * client can still read the answer. Past `limitBytes` it fails the forward
 * (`overLimit()` then says why) and discards the rest likewise.
 */
function requestBody(
  incoming: IncomingMessage,
  limitBytes: number,
): { readonly stream: ReadableStream<Uint8Array>; overLimit(): boolean } {
  let cancelled = false;
  let received = 0;
  const discardRest = () => {
    cancelled = true;
    incoming.off('data', onData);
    incoming.resume();
  };
  const onData = (chunk: Buffer) => {
    received += chunk.byteLength;
    if (received > limitBytes) {
      discardRest();
      controller.error(new Error('the request body is over the size limit'));
      return;
    }
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        incoming.on('data', onData);
        incoming.once('end', () => cancelled || controller.close());
        incoming.once('error', (error) => cancelled || controller.error(error));
      },
      pull() {
        incoming.resume();
      },
      cancel: discardRest,
    },
    { highWaterMark: 4 },
  );
  return { stream, overLimit: () => received > limitBytes };
}

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
  'host',
];
