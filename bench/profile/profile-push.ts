/**
 * Profiles the server while it takes pushes: starts the real server bin
 * under `node --cpu-prof` (SQLite, or PostgreSQL with PROF_DB=postgres://…),
 * pushes PROF_N patients in 500-event batches plus replays, stops the server
 * and prints the summary of its CPU profile.
 * `npx tsx bench/profile/profile-push.ts [outDir]`
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measurePush } from '../scenarios/push.ts';

const outDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'cs-prof-'));
const bin = resolve(fileURLToPath(new URL('../../packages/server/bin/clinicsync-server.js', import.meta.url)));
const dataDir = mkdtempSync(join(tmpdir(), 'cs-prof-data-'));
const args = ['--cpu-prof', `--cpu-prof-dir=${outDir}`, bin, '--port', '0', '--data-dir', dataDir];
if (process.env.PROF_DB) args.push('--db', process.env.PROF_DB);
const child = spawn(process.execPath, args, {
  env: { ...process.env, LOG_LEVEL: 'warn', CLINICSYNC_JWT_SECRET: 'profile-secret-of-at-least-32-bytes-long' },
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
const run = await measurePush(url, Number(process.env.PROF_N ?? 10_000));
console.log(`push: ${Math.round(run.eventsPerSecond)} events/s, batch p50 ${run.batchMs.p50.toFixed(1)} ms, replay p50 ${run.replayBatchMs.p50.toFixed(1)} ms`);
child.kill('SIGTERM');
await new Promise((done) => child.once('exit', done));
// tsx's loader thread writes a small profile of its own; the server's main thread is the largest.
const profile = readdirSync(outDir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => ({ f, size: statSync(join(outDir, f)).size }))
  .sort((a, b) => b.size - a.size)[0]!.f;
console.log(`profile: ${join(outDir, profile)}`);
const summary = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./summarize-profile.ts', import.meta.url)), join(outDir, profile), process.env.PROF_TOP ?? '35'], {
  stdio: 'inherit',
});
await new Promise((done) => summary.once('exit', done));
