/**
 * Starts the real `clinicsync-server` bin as a child process on a free port,
 * for black-box tests over HTTP. `stop()` sends SIGTERM; `kill()` sends SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = resolve(fileURLToPath(new URL('../../bin/clinicsync-server.js', import.meta.url)));

export type ServerProcess = {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
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
};

export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'clinicsync-server-'));
  const args = [BIN, '--port', String(options.port ?? 0), '--data-dir', dataDir];
  if (options.db) args.push('--db', options.db);
  const child = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: 'info', CLINICSYNC_JWT_SECRET: 'black-box-test-secret-of-at-least-32-bytes', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${output}`)), 60_000);
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

  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stopWith = (signal: NodeJS.Signals) => async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url, dataDir, child, output: () => output, stop: stopWith('SIGTERM'), kill: stopWith('SIGKILL') };
}
