/**
 * Profiles the server while it answers replays: the real server bin under
 * `node --cpu-prof` (SQLite, or PROF_DB=postgres://…), PROF_N patients
 * pushed in 500-event batches, then every batch sent again PROF_ROUNDS times
 * (all duplicates), so the replays dominate the profile; prints the replay
 * p50 and the summary. `npx tsx bench/profile/profile-replay.ts [profileDir]`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrganization, newSession, patientInsert, push, pushBody } from '../lib/clinic.ts';
import { percentiles, timed } from '../lib/measure.ts';
import { chunk, patientRows } from '../lib/rows.ts';
import { benchTempDir } from '../lib/temp.ts';
import { startProfiledServer, summarize } from './profiled-server.ts';

const profileDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'cs-prof-'));
const server = await startProfiledServer({ dataDir: benchTempDir('prof-data'), db: process.env.PROF_DB, profileDir });
const session = await newSession(server.url);
const { organizationId } = await createOrganization(session);
const bodies = chunk(patientRows(organizationId, Number(process.env.PROF_N ?? 5_000)), 500).map((rows) =>
  pushBody(session, rows.map(patientInsert)),
);
for (const body of bodies) await push(session, body);
const replayMs: number[] = [];
for (let round = 0; round < Number(process.env.PROF_ROUNDS ?? 20); round++) {
  for (const body of bodies) {
    const one = await timed(() => push(session, body));
    if (one.value.results.some((r) => r.status !== 'duplicate'))
      throw new Error('a replayed event was not a duplicate');
    replayMs.push(one.ms);
  }
}
const stats = percentiles(replayMs);
console.log(`replay: ${replayMs.length} batches, p50 ${stats.p50.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms`);
const profile = await server.stop();
console.log(`profile: ${profile}`);
await summarize(profile, Number(process.env.PROF_TOP ?? 35));
