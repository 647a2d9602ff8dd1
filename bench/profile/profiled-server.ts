/**
 * Starts the real server bin under `node --cpu-prof` on a data folder (and
 * optional database URL), for the profile scripts. `stop()` ends it with
 * SIGTERM and returns the path of the main thread's profile.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_SECRET } from '../lib/bench-server.ts';

export type ProfiledServer = { readonly url: string; readonly pid: number; stop(): Promise<string> };

export async function startProfiledServer(options: {
  readonly dataDir: string;
  readonly db?: string;
  readonly profileDir: string;
  /** More environment for the server (limits of a scenario). */
  readonly env?: Record<string, string>;
}): Promise<ProfiledServer> {
  const bin = resolve(fileURLToPath(new URL('../../packages/server/bin/clinicsync-server.js', import.meta.url)));
  const args = [
    '--cpu-prof',
    `--cpu-prof-dir=${options.profileDir}`,
    bin,
    '--port',
    '0',
    '--data-dir',
    options.dataDir,
  ];
  if (options.db) args.push('--db', options.db);
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      CLINICSYNC_JWT_SECRET: BENCH_SECRET,
      CLINICSYNC_SIGNIN_ADDRESS_FREE_FAILURES: '100000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ok) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) ok(match[1]!);
    });
  });
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
      // tsx's loader thread writes a small profile of its own; the server's main thread is the largest.
      const largest = readdirSync(options.profileDir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => ({
          f,
          size: statSync(join(options.profileDir, f)).size,
          at: statSync(join(options.profileDir, f)).mtimeMs,
        }))
        .sort((a, b) => b.size - a.size)[0]!;
      return join(options.profileDir, largest.f);
    },
  };
}

/** Prints the summary of a profile (bench/profile/summarize-profile.ts). */
export async function summarize(profile: string, top = 35): Promise<void> {
  const script = fileURLToPath(new URL('./summarize-profile.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', script, profile, String(top)], { stdio: 'inherit' });
  await new Promise((done) => proc.once('exit', done));
}
