/**
 * An HTTP proxy between a desktop and the sync server that a test can switch:
 * `pass` forwards everything; `offline` drops connections as a dead network
 * does; `expire_sessions` answers every auth-token route with
 * `401 token_expired` (as the server does once a UI session's token has run
 * out) while sync routes keep working; `report_outbox_only` stands for a
 * gateway that fails every push carrying changes (503) after passing on its
 * outbox report alone (the same push with `events: []`, as a heartbeat is),
 * so the server learns what the device holds while the device keeps it;
 * `schema_upgrade_required` answers every sync route `426` as a server
 * whose minimum schema version moved past the client's does. It
 * counts requests per path, and remembers the last auth token the desktop
 * presented, so a test can ask the server what that person may see without
 * signing in somewhere else (a sign-in registers a device). `setServerClock`
 * moves the `Date` of every answer, as a server whose clock differs from the
 * desktop's would send it (the same as a desktop whose clock is off).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'offline' | 'expire_sessions' | 'report_outbox_only' | 'schema_upgrade_required';

export type SwitchableProxy = {
  readonly url: string;
  setMode(mode: ProxyMode): void;
  setUpstream(url: string): void;
  /** How many requests for paths starting with `prefix` arrived since the last reset. */
  count(prefix: string): number;
  resetCounts(): void;
  /** Pushes that carried at least one event since the start (heartbeats and outbox reports carry none). */
  pushesWithEvents(): number;
  /** Pushes with changes answered 503 in `report_outbox_only` mode since the start. */
  heldPushes(): number;
  /** Answers carry a `Date` this far from the server's own (negative: the desktop looks ahead). */
  setServerClock(shiftMs: number): void;
  /** From now on `/app/sw.js` is the next build's (its build version gets `suffix`); null: the server's own. */
  serveNextBuild(suffix: string | null): void;
  /** The bearer token of the desktop's latest request to an auth-token route, or null. */
  lastAuthToken(): string | null;
  close(): Promise<void>;
};

const SIGN_IN_ROUTES = ['/v1/auth/sign-in', '/v1/auth/register', '/v1/auth/refresh'];

export type SwitchableProxyOptions = {
  /**
   * Serve the server under this path (`/clinicsync`), as a reverse proxy of a clinic's intranet may:
   * `/clinicsync/v1/…` goes to `/v1/…`; anything outside it answers 404.
   */
  readonly pathPrefix?: string;
};

export async function startSwitchableProxy(
  upstream: string,
  options: SwitchableProxyOptions = {},
): Promise<SwitchableProxy> {
  const prefix = options.pathPrefix ?? '';
  let mode: ProxyMode = 'pass';
  let target = new URL(upstream);
  const counts = new Map<string, number>();
  let held = 0;
  let withEvents = 0;
  let authToken: string | null = null;
  let clockShiftMs = 0;
  let nextBuild: string | null = null;

  const send = (
    req: IncomingMessage,
    path: string,
    body: Buffer | null,
    answer: (upstreamRes: IncomingMessage) => void,
  ) => {
    const headers = { ...req.headers, host: target.host };
    if (body) headers['content-length'] = String(body.length);
    const upstreamReq = request(
      { hostname: target.hostname, port: target.port, path, method: req.method, headers },
      answer,
    );
    // A stopped server looks like a dead network to the desktop, as it would without the proxy.
    upstreamReq.on('error', () => req.socket.destroy());
    if (body) upstreamReq.end(body);
    else req.pipe(upstreamReq);
  };

  const relay = (res: ServerResponse) => (upstreamRes: IncomingMessage) => {
    const headers = { ...upstreamRes.headers };
    if (clockShiftMs !== 0 && headers.date)
      headers.date = new Date(Date.parse(headers.date) + clockShiftMs).toUTCString();
    res.writeHead(upstreamRes.statusCode ?? 502, headers);
    upstreamRes.pipe(res);
  };

  /** Reads a push's body, counts it when it carries events, and hands it on. */
  const readPush = (req: IncomingMessage, then: (raw: Buffer, push: { events?: unknown[] } | null) => void) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let push: { events?: unknown[] } | null = null;
      try {
        push = JSON.parse(raw.toString('utf8')) as { events?: unknown[] };
      } catch {
        push = null;
      }
      if (push && Array.isArray(push.events) && push.events.length > 0) withEvents += 1;
      then(raw, push);
    });
  };

  const reportOnly = (req: IncomingMessage, res: ServerResponse, path: string) => {
    readPush(req, (raw, push) => {
      if (!push || !Array.isArray(push.events) || push.events.length === 0) {
        send(req, path, raw, relay(res));
        return;
      }
      held += 1;
      send(req, path, Buffer.from(JSON.stringify({ ...push, events: [] })), (upstreamRes) => {
        upstreamRes.resume();
        upstreamRes.on('end', () => {
          res.writeHead(503, { 'content-type': 'text/html' });
          res.end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
        });
      });
    });
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const requested = req.url ?? '/';
    if (prefix && !requested.startsWith(`${prefix}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found on this proxy');
      return;
    }
    const path = requested.slice(prefix.length);
    const pathname = path.split('?')[0]!;
    counts.set(pathname, (counts.get(pathname) ?? 0) + 1);
    if (mode === 'offline') {
      req.socket.destroy();
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer && pathname.startsWith('/v1/') && !pathname.startsWith('/v1/sync/')) authToken = bearer;
    if (mode === 'schema_upgrade_required' && pathname.startsWith('/v1/sync/')) {
      req.resume();
      res.writeHead(426, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { code: 'schema_upgrade_required', message: 'This client is too old for the server.', details: {} },
        }),
      );
      return;
    }
    if (req.method === 'POST' && pathname === '/v1/sync/push') {
      if (mode === 'report_outbox_only') reportOnly(req, res, path);
      else readPush(req, (raw) => send(req, path, raw, relay(res)));
      return;
    }
    if (
      mode === 'expire_sessions' &&
      pathname.startsWith('/v1/') &&
      !pathname.startsWith('/v1/sync/') &&
      !SIGN_IN_ROUTES.includes(pathname)
    ) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 'token_expired', message: 'The auth token has expired.', details: {} } }),
      );
      return;
    }
    if (nextBuild !== null && req.method === 'GET' && pathname.endsWith('/app/sw.js')) {
      send(req, path, null, nextServiceWorker(res, nextBuild));
      return;
    }
    send(req, path, null, relay(res));
  };

  /** The service worker with its build version (its cache name) changed, as a new build's would be. */
  const nextServiceWorker = (res: ServerResponse, suffix: string) => (upstreamRes: IncomingMessage) => {
    const chunks: Buffer[] = [];
    upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
    upstreamRes.on('end', () => {
      const source = Buffer.concat(chunks).toString('utf8');
      const next = source.replace(/(\\"version\\":\\"[0-9a-f]+)/, `$1${suffix}`);
      // No build version to change: a 502, so the browser keeps its service worker and the test sees no update.
      const body = Buffer.from(next, 'utf8');
      const status = next === source ? 502 : (upstreamRes.statusCode ?? 502);
      res.writeHead(status, { ...upstreamRes.headers, 'content-length': String(body.length) });
      res.end(body);
    });
  };

  const server = createServer(forward);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    setMode: (next) => {
      mode = next;
    },
    setUpstream: (url) => {
      target = new URL(url);
    },
    setServerClock: (shiftMs) => {
      clockShiftMs = shiftMs;
    },
    serveNextBuild: (suffix) => {
      nextBuild = suffix;
    },
    count: (prefix) => [...counts].filter(([path]) => path.startsWith(prefix)).reduce((n, [, c]) => n + c, 0),
    resetCounts: () => counts.clear(),
    heldPushes: () => held,
    pushesWithEvents: () => withEvents,
    lastAuthToken: () => authToken,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
