/**
 * Profiles the server while it takes pushes: the real server bin under
 * `node --cpu-prof` (SQLite, or PROF_DB=postgres://…), PROF_N patients in
 * 500-event batches plus replays; prints the summary of its CPU profile.
 * `npx tsx bench/profile/profile-push.ts [profileDir]` (the profile is kept; the server's data is removed).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchTempDir } from '../lib/temp.ts';
import { measurePush } from '../scenarios/push.ts';
import { startProfiledServer, summarize } from './profiled-server.ts';

const profileDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'cs-prof-'));
const server = await startProfiledServer({ dataDir: benchTempDir('prof-data'), db: process.env.PROF_DB, profileDir });
const run = await measurePush(server.url, Number(process.env.PROF_N ?? 10_000));
console.log(
  `push: ${Math.round(run.eventsPerSecond)} events/s, batch p50 ${run.batchMs.p50.toFixed(1)} ms, replay p50 ${run.replayBatchMs.p50.toFixed(1)} ms`,
);
const profile = await server.stop();
console.log(`profile: ${profile}`);
await summarize(profile, Number(process.env.PROF_TOP ?? 35));
