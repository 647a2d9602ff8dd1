/**
 * `clinicsync-server [--port 8787] [--host 127.0.0.1] [--db PATH|postgres://URL] [--data-dir DIR]`
 * Env: PORT, HOST, DATABASE_URL, DATA_DIR, CLINICSYNC_JWT_SECRET, LOG_LEVEL.
 * Flags win over env. SIGTERM/SIGINT stop accepting, finish in-flight requests, close the database.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { dirname } from 'node:path';
import { configFromEnv } from './config-from-env.ts';
import { isPostgresUrl } from './db/connect.ts';
import { startServer, type RunningServer } from './start-server.ts';

const USAGE = `Usage: clinicsync-server [--port 8787] [--host 127.0.0.1] [--db ./data/server.sqlite | postgres://…] [--data-dir ./data]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

/** Without a data folder, the secret lives beside a SQLite file given with --db, else in ./data. */
function defaultDataDir(db: string | undefined): string {
  return db && db !== ':memory:' && !isPostgresUrl(db) ? dirname(db) : './data';
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
      db: { type: 'string' },
      'data-dir': { type: 'string' },
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

// Everything the server writes (database, WAL, secret) is for its own user only: the database holds patient data.
process.umask(0o077);

const env = process.env;
const log = pino({ name: 'clinicsync-server', level: env.LOG_LEVEL ?? 'info' });

// Handlers are installed before listening so a signal that arrives during start-up still stops cleanly.
let server: RunningServer | undefined;
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Whatever is still running after 10 s is cut off; a push is one transaction, so nothing is left half-applied.
    setTimeout(() => process.exit(1), 10_000).unref();
    (server?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

let config;
try {
  config = configFromEnv(env);
} catch (error) {
  fail((error as Error).message);
}

const db = args.db ?? env.DATABASE_URL;
server = await startServer({
  port: parsePort(args.port ?? env.PORT ?? '8787'),
  host: args.host ?? env.HOST ?? '127.0.0.1',
  db,
  dataDir: args['data-dir'] ?? env.DATA_DIR ?? defaultDataDir(db),
  env,
  log,
  config,
}).catch((error: unknown) => {
  log.fatal({ err: { name: (error as Error).name, message: (error as Error).message } }, 'could not start');
  // The log line is for the log; the person at the terminal reads this one.
  process.stderr.write(`clinicsync-server could not start: ${(error as Error).message}\n`);
  process.exit(1);
});

log.info({ url: server.url, database: server.databaseKind }, 'listening');
process.stdout.write(`ClinicSync server listening on ${server.url} (${server.databaseKind})\n`);
