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
 * cannot be dodged), and on stop it finishes the requests in flight before
 * the runtime goes down, as the Node server does.
 */
import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join, resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import { buildWorker } from './build-worker.ts';

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
  // Authenticates the runner's one control request (ending waiting pulls at stop; src/worker/index.ts).
  const controlToken = randomBytes(32).toString('hex');
  bindings.CLINICSYNC_EDGE_CONTROL_TOKEN = controlToken;
  const script = await buildWorker();
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

  const front = await new Promise<ServerType>((ready) => {
    const server = serve(
      {
        // An HTTP/1.1 listener (no `createServer` option): its requests are IncomingMessages.
        fetch: (request, env) => forward(runtime, request, env.incoming as IncomingMessage),
        port: options.port,
        hostname: options.host,
      },
      () => ready(server),
    );
  });
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
        await fetch(new URL('/__clinicsync-edge/release-waits', runtime), {
          method: 'POST',
          headers: { 'x-clinicsync-edge-control': controlToken },
        }).then(
          (res) => res.body?.cancel(),
          () => undefined,
        );
        await closed;
        await mf.dispose();
      })()),
  };
}

/** Hands one request to workerd with the connection's address as `CF-Connecting-IP`. */
async function forward(runtime: URL, request: Request, incoming: IncomingMessage): Promise<Response> {
  const target = new URL(request.url);
  const headers = new Headers(request.headers);
  // Hop-by-hop headers belong to the client's connection, not this one; compression is left to the front's client.
  for (const name of HOP_BY_HOP) headers.delete(name);
  headers.delete('accept-encoding');
  headers.set('cf-connecting-ip', incoming.socket.remoteAddress ?? 'unknown');
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const answer = await fetch(new URL(`${target.pathname}${target.search}`, runtime), {
    method: request.method,
    headers,
    redirect: 'manual',
    // A client that hangs up ends the request in the runtime too (a waiting pull stops costing anything).
    signal: request.signal,
    ...(hasBody ? { body: requestBody(incoming), duplex: 'half' } : {}),
  } as RequestInit);
  const answerHeaders = new Headers(answer.headers);
  // fetch has already decoded any body encoding; the length is the front's to set.
  for (const name of ['content-encoding', 'content-length', ...HOP_BY_HOP]) answerHeaders.delete(name);
  return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: answerHeaders });
}

/**
 * The request body as a stream that, when the runtime answers before reading
 * all of it (a body over the limit: 413), discards the rest instead of
 * destroying the connection, so the client can still read the answer.
 */
function requestBody(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  let cancelled = false;
  const onData = (chunk: Buffer) => {
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  return new ReadableStream<Uint8Array>(
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
      cancel() {
        cancelled = true;
        incoming.off('data', onData);
        incoming.resume();
      },
    },
    { highWaterMark: 4 },
  );
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
