/**
 * Starts the real server bin as a child process on a free port, for
 * black-box tests over HTTP. `stop()` sends SIGTERM; `kill()` sends SIGKILL.
 *
 * One switch picks the runtime: `CLINICSYNC_TEST_RUNTIME=edge` runs every
 * suite against `clinicsync-edge` (the Worker under workerd, PROTOCOL §7)
 * instead of `clinicsync-server` on Node. PostgreSQL variants do not apply
 * there (the edge keeps its data in Durable Object storage) and are skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../../../test/support/temp-dir.ts';

export type TestRuntime = 'node' | 'edge';

/** The runtime the black-box suites run against (`CLINICSYNC_TEST_RUNTIME`, default node). */
export const TEST_RUNTIME: TestRuntime = parseRuntime(process.env.CLINICSYNC_TEST_RUNTIME);

function parseRuntime(value: string | undefined): TestRuntime {
  if (value === undefined || value === '' || value === 'node') return 'node';
  if (value === 'edge') return 'edge';
  throw new Error(`CLINICSYNC_TEST_RUNTIME must be node or edge, not ${value}`);
}

const BINS: Record<TestRuntime, string> = {
  node: resolve(fileURLToPath(new URL('../../bin/clinicsync-server.js', import.meta.url))),
  edge: resolve(fileURLToPath(new URL('../../../edge/bin/clinicsync-edge.js', import.meta.url))),
};

/** How long a start may take: workerd compiles the bundle on first start, on a loaded machine too. */
const START_TIMEOUT_MS: Record<TestRuntime, number> = { node: 60_000, edge: 60_000 };

export type ServerProcess = {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly runtime: TestRuntime;
  /** The SQLite file holding the server's data (the Durable Object's own file on the edge), for read-only checks. */
  sqliteFile(): string;
  /** Everything the process wrote to stdout and stderr so far (logs checks). */
  output(): string;
  stop(): Promise<void>;
  kill(): Promise<void>;
};

export type ServerProcessOptions = {
  /** SQLite path or postgres:// URL; default: a file in a fresh data folder. */
  readonly db?: string;
  readonly dataDir?: string;
  readonly port?: number;
  readonly env?: Record<string, string>;
  /** Overrides CLINICSYNC_TEST_RUNTIME (the benchmarks run both runtimes in one run). */
  readonly runtime?: TestRuntime;
};

export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const runtime = options.runtime ?? TEST_RUNTIME;
  const dataDir = options.dataDir ?? tempDir('server');
  const args = [BINS[runtime], '--port', String(options.port ?? 0)];
  if (runtime === 'edge') {
    if (options.db) throw new Error('the edge runtime keeps its data in Durable Object storage; a --db does not apply');
    args.push('--persist', dataDir);
  } else {
    args.push('--data-dir', dataDir);
    if (options.db) args.push('--db', options.db);
  }
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      CLINICSYNC_JWT_SECRET: 'black-box-test-secret-of-at-least-32-bytes',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${output}`)), START_TIMEOUT_MS[runtime]);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        ok(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${output}`));
    });
  });

  // The edge creates its data object on the first request; a health check makes it exist (and proves it answers).
  if (runtime === 'edge') await fetch(new URL('/healthz', url)).then((res) => res.body?.cancel());
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stopWith = (signal: NodeJS.Signals) => async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const sqliteFile = () => (runtime === 'edge' ? durableObjectFile(dataDir) : join(dataDir, 'server.sqlite'));
  return {
    url,
    dataDir,
    child,
    runtime,
    sqliteFile,
    output: () => output,
    stop: stopWith('SIGTERM'),
    kill: stopWith('SIGKILL'),
  };
}

/** The data object's SQLite file in the edge runtime's persist folder (Miniflare's layout: one file per object). */
function durableObjectFile(persistDir: string): string {
  const dir = join(persistDir, 'durable-objects', '-ClinicSyncData');
  const files = readdirSync(dir).filter((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one data object in ${dir}, found ${files.length}`);
  return join(dir, files[0]!);
}
