/**
 * Starts the real `clinicsync-desktop` bin as a child process on a free port
 * for end-to-end tests, with the sync token in a file (no keyring in CI) and
 * short sync timers so a suite does not wait out production intervals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = resolve(fileURLToPath(new URL('../../bin/clinicsync-desktop.js', import.meta.url)));

export type DesktopProcess = {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
};

export async function startDesktopProcess(options: { serverUrl: string; dataDir: string; env?: Record<string, string> }): Promise<DesktopProcess> {
  const child = spawn(process.execPath, [BIN, '--server', options.serverUrl, '--port', '0', '--data', options.dataDir], {
    env: { ...process.env, CLINICSYNC_TOKEN_STORE: 'file', CLINICSYNC_SYNC_INTERVAL_MS: '1000', CLINICSYNC_MAX_BACKOFF_MS: '2000', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`desktop did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /ClinicSync desktop: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        ok(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`desktop exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
