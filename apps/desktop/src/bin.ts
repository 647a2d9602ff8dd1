/**
 * `clinicsync-desktop --server URL [--port 5173] [--data DIR]`
 * Env: CLINICSYNC_TOKEN_STORE=file (keep the sync token in a 0600 file instead
 * of the OS keyring), CLINICSYNC_SYNC_INTERVAL_MS, CLINICSYNC_MAX_BACKOFF_MS.
 * Serves the app on 127.0.0.1 only and prints the URL to open, which carries
 * a one-time open code (also in `<dataDir>/desktop-url`, 0600); once it is
 * used, the next URL is printed the same way. SIGTERM/
 * SIGINT stop sync (a running request ends first) and close the local store.
 */
import { parseArgs } from 'node:util';
import { startDesktop } from './server/start-desktop.ts';

// Everything this process creates (stores, their journals, token and verifier
// files, folders) is the starting user's alone, whatever the shell's umask.
process.umask(0o077);

const USAGE = 'Usage: clinicsync-desktop --server http://127.0.0.1:8787 [--port 5173] [--data ./data/desktop]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) fail(`${name} must be a positive whole number of milliseconds`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      server: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
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
if (!args.server) fail('--server is required');
let serverUrl: URL;
try {
  serverUrl = new URL(args.server);
} catch {
  fail(`invalid server URL: ${args.server}`);
}
if (serverUrl.protocol !== 'http:' && serverUrl.protocol !== 'https:')
  fail('the server URL must start with http:// or https://');
const port = Number(args.port ?? '5173');
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port: ${args.port}`);

const env = process.env;
const desktop = await startDesktop({
  serverUrl: serverUrl.toString(),
  port,
  dataDir: args.data ?? './data/desktop',
  env,
  syncIntervalMs: positiveInt(env.CLINICSYNC_SYNC_INTERVAL_MS, 'CLINICSYNC_SYNC_INTERVAL_MS'),
  maxBackoffMs: positiveInt(env.CLINICSYNC_MAX_BACKOFF_MS, 'CLINICSYNC_MAX_BACKOFF_MS'),
  // The link just used opens nothing more: the next one, as the first was printed.
  onOpenUrl: (url) => process.stdout.write(`ClinicSync desktop: ${url}\n`),
}).catch((error: unknown) => {
  process.stderr.write(`could not start: ${(error as Error).name}: ${(error as Error).message}\n`);
  process.exit(1);
});

process.stdout.write(`ClinicSync desktop: ${desktop.url}\n`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 10_000).unref();
    desktop.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
