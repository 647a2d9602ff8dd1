/**
 * `clinicsync-edge [--port 8787] [--host 127.0.0.1] [--persist DIR]` (PROTOCOL §7):
 * the ClinicSync server on the Workers runtime, run locally under workerd
 * (through Miniflare), with the Durable Object storage kept in DIR.
 * Env: PORT, HOST, CLINICSYNC_PERSIST_DIR, LOG_LEVEL, and the server's
 * `CLINICSYNC_*` settings (docs/operations.md), which reach the Worker as
 * bindings as they would from wrangler.toml and Workers secrets.
 * SIGTERM/SIGINT stop the runtime; state stays in DIR.
 */
import { parseArgs } from 'node:util';
// The one module, not the whole server core: this runs at every start.
import { configFromEnv } from '../../server/src/config-from-env.ts';
import { startEdge, type RunningEdge } from './start-edge.ts';

const USAGE = 'Usage: clinicsync-edge [--port 8787] [--host 127.0.0.1] [--persist ./data/edge]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port: ${value}`);
  return port;
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      persist: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (error) {
  fail((error as Error).message);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

// The persisted storage holds patient data: for this user only.
process.umask(0o077);

let edge: RunningEdge | undefined;
let stopping = false;
/** Stops accepting, lets requests in flight finish, stops the runtime; cut off after 10 s. */
const onSignal = () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(1), 10_000).unref();
  (edge?.close() ?? Promise.resolve()).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, onSignal);

const env = process.env;
// The Worker reads the same settings; a typo stops the start here, as it does the Node server's.
try {
  configFromEnv(env);
} catch (error) {
  fail((error as Error).message);
}
edge = await startEdge({
  port: parsePort(args.port ?? env.PORT ?? '8787'),
  host: args.host ?? env.HOST ?? '127.0.0.1',
  persistDir: args.persist ?? env.CLINICSYNC_PERSIST_DIR ?? './data/edge',
  env,
}).catch((error: unknown) => {
  process.stderr.write(`clinicsync-edge could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
// Miniflare exits at once on a signal; this process stops gracefully instead (requests in flight finish
// first), and its own exit still takes workerd down with it.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  for (const listener of process.listeners(signal)) if (listener !== onSignal) process.removeListener(signal, listener);
}
if (stopping) await edge.close();
process.stdout.write(`ClinicSync edge server listening on ${edge.url} (workerd)\n`);
