/**
 * An HTTP proxy between a desktop and the sync server that a test can switch:
 * `pass` forwards everything; `offline` drops connections as a dead network
 * does; `expire_sessions` answers every auth-token route with
 * `401 token_expired` (as the server does once a UI session's token has run
 * out) while sync routes keep working. It counts requests per path.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'offline' | 'expire_sessions';

export type SwitchableProxy = {
  readonly url: string;
  setMode(mode: ProxyMode): void;
  setUpstream(url: string): void;
  /** How many requests for paths starting with `prefix` arrived since the last reset. */
  count(prefix: string): number;
  resetCounts(): void;
  close(): Promise<void>;
};

const SIGN_IN_ROUTES = ['/v1/auth/sign-in', '/v1/auth/register', '/v1/auth/refresh'];

export async function startSwitchableProxy(upstream: string): Promise<SwitchableProxy> {
  let mode: ProxyMode = 'pass';
  let target = new URL(upstream);
  const counts = new Map<string, number>();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const pathname = path.split('?')[0]!;
    counts.set(pathname, (counts.get(pathname) ?? 0) + 1);
    if (mode === 'offline') {
      req.socket.destroy();
      return;
    }
    if (mode === 'expire_sessions' && pathname.startsWith('/v1/') && !pathname.startsWith('/v1/sync/') && !SIGN_IN_ROUTES.includes(pathname)) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'token_expired', message: 'The auth token has expired.', details: {} } }));
      return;
    }
    const upstreamReq = request(
      { hostname: target.hostname, port: target.port, path, method: req.method, headers: { ...req.headers, host: target.host } },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    // A stopped server looks like a dead network to the desktop, as it would without the proxy.
    upstreamReq.on('error', () => req.socket.destroy());
    req.pipe(upstreamReq);
  };

  const server = createServer(forward);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setMode: (next) => {
      mode = next;
    },
    setUpstream: (url) => {
      target = new URL(url);
    },
    count: (prefix) => [...counts].filter(([path]) => path.startsWith(prefix)).reduce((n, [, c]) => n + c, 0),
    resetCounts: () => counts.clear(),
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
