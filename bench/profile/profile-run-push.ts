/**
 * The push pipeline without HTTP: runPush in-process on a SQLite file (or,
 * with PROF_DB=postgres, a fresh database at CLINICSYNC_TEST_PG_URL), PROF_N
 * patient INSERTs in 500-event batches, then replays. Prints wall and CPU
 * time per batch; run it under `node --cpu-prof --import tsx` to see where a
 * batch's time goes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { EventId } from '@clinicsync/protocol';
import { freshPostgresDatabase } from '../../packages/server/test/support/dialects.ts';
import { connectDatabase } from '../../packages/server/src/db/connect.ts';
import { migrate } from '../../packages/server/src/db/migrate.ts';
import { systemClock } from '../../packages/server/src/deps.ts';
import { runPush } from '../../packages/server/src/sync/push/run-push.ts';
import { insertEvent, patientInsert, type Event } from '../lib/clinic.ts';
import { chunk, patientRows } from '../lib/rows.ts';
import { seedPatients } from '../lib/seed-server.ts';

const url = process.env.PROF_DB === 'postgres' ? await freshPostgresDatabase() : process.env.PROF_DB ?? join(mkdtempSync(join(tmpdir(), 'cs-runpush-')), 'server.sqlite');
const database = connectDatabase({ url });
await migrate(database.db, database.caps);
const deps = { db: database.db, caps: database.caps, clock: systemClock };
const userId = randomUUID();
await database.db.insertInto('users').values({ id: userId, email: `${userId}@bench.test`, name: 'Bench', password_hash: 'x', created_at: new Date().toISOString() }).execute();
const actor = { userId, deviceId: randomUUID() };
const push = (events: readonly Event[]) => runPush(deps, { actor, schemaVersion: 1, events: events.map((raw) => ({ eventId: raw.eventId as EventId, raw })) });

const organizationId = randomUUID();
await push([
  insertEvent('organizations', organizationId, { name: 'Bench' }),
  insertEvent('members', randomUUID(), { organization_id: organizationId, user_id: userId, role: 'admin' }),
]);
// PROF_SEED=N fills the organization with N patients first (SQLite only), as the scale scenario does.
const seed = Number(process.env.PROF_SEED ?? 0);
if (seed > 0) seedPatients({ path: url, organizationId, userId, deviceId: actor.deviceId }, seed);
const n = Number(process.env.PROF_N ?? 20_000);
const batches = chunk(patientRows(organizationId, n), 500).map((rows) => rows.map(patientInsert));
await push(patientRows(organizationId, 500).map(patientInsert));
const started = performance.now();
const cpu = process.cpuUsage();
for (const batch of batches) {
  const results = await push(batch);
  if (results.some((r) => r.status !== 'applied')) throw new Error('not applied');
}
const ms = performance.now() - started;
const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
const replayStarted = performance.now();
for (const batch of batches.slice(0, 10)) await push(batch);
const replayMs = (performance.now() - replayStarted) / Math.min(10, batches.length);
console.log(
  `runPush: ${Math.round((n * 1000) / ms)} events/s, ${(ms / batches.length).toFixed(1)} ms per batch (CPU ${(cpuMs / batches.length).toFixed(1)} ms); replay ${replayMs.toFixed(1)} ms per batch`,
);
await database.close();
