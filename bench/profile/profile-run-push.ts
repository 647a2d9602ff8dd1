/**
 * The push pipeline without HTTP: runPush in-process on a SQLite file (or,
 * with PROF_DB=postgres, a fresh database at CLINICSYNC_TEST_PG_URL), PROF_N
 * patient INSERTs in 500-event batches, then replays. Prints wall and CPU
 * time per batch (PROF_REPLAYS: how many replays); run it under `node --cpu-prof --import tsx` to see where a
 * batch's time goes.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { EventId } from '@clinicsync/protocol';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { ServerDb } from '../../packages/server/src/db/schema.ts';
import { freshPostgresDatabase } from '../../packages/server/test/support/dialects.ts';
import { connectDatabase } from '../../packages/server/src/db/connect.ts';
import { migrate } from '../../packages/server/src/db/migrate.ts';
import { systemClock } from '../../packages/server/src/deps.ts';
import { nodeHashing } from '../../packages/server/src/node/node-hashing.ts';
import { runPush } from '../../packages/server/src/sync/push/run-push.ts';
import { insertEvent, patientInsert, type Event } from '../lib/clinic.ts';
import { chunk, patientRows } from '../lib/rows.ts';
import { seedPatients } from '../lib/seed-server.ts';
import { benchTempDir } from '../lib/temp.ts';

const url =
  process.env.PROF_DB === 'postgres'
    ? await freshPostgresDatabase()
    : (process.env.PROF_DB ?? join(benchTempDir('runpush'), 'server.sqlite'));
const database = connectDatabase({ url });
await migrate(database.db, database.caps);
// PROF_QUERIES=1: time every statement (Kysely's query log) and print the totals by kind at the end.
const queryTotals = new Map<string, { n: number; ms: number }>();
const db = process.env.PROF_QUERIES
  ? database.db.withPlugin({ transformQuery: (args) => args.node, transformResult: async (args) => args.result })
  : database.db;
const logged = process.env.PROF_QUERIES
  ? new Kysely<ServerDb>({
      dialect:
        database.caps.dialect === 'sqlite'
          ? new SqliteDialect({ database: serverLikeSqlite(url) })
          : new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }),
      log: (event) => {
        const kind = event.query.sql
          .replace(/\s+/g, ' ')
          .slice(0, 60)
          .replace(/\(.*$/, '')
          .replace(/ values.*$/, '');
        const total = queryTotals.get(kind) ?? { n: 0, ms: 0 };
        total.n += 1;
        total.ms += event.queryDurationMillis;
        queryTotals.set(kind, total);
      },
    })
  : undefined;
const deps = { db: logged ?? db, caps: database.caps, clock: systemClock, hashing: nodeHashing };

/** A second connection with the server's pragmas (db/connect.ts). */
function serverLikeSqlite(path: string): SQLite.Database {
  const raw = new SQLite(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('busy_timeout = 5000');
  return raw;
}
// PROF_PRAGMAS="cache_size = -262144;wal_autocheckpoint = 10000": connection settings to try (SQLite).
for (const pragma of (process.env.PROF_PRAGMAS ?? '').split(';').filter(Boolean))
  await sql.raw(`pragma ${pragma}`).execute(database.db);
const userId = randomUUID();
await database.db
  .insertInto('users')
  .values({
    id: userId,
    email: `${userId}@bench.test`,
    name: 'Bench',
    password_hash: 'x',
    created_at: new Date().toISOString(),
  })
  .execute();
const actor = { userId, deviceId: randomUUID() };
const push = (events: readonly Event[]) =>
  runPush(deps, { actor, schemaVersion: 1, events: events.map((raw) => ({ eventId: raw.eventId as EventId, raw })) });

const organizationId = randomUUID();
await push([
  insertEvent('organizations', { name: 'Bench' }, organizationId),
  insertEvent('members', { organization_id: organizationId, user_id: userId, role: 'admin' }),
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
// PROF_REPLAYS=N: N replays of whole batches (all duplicates), the first batches in turn, so a profile can be mostly replays.
const replays = Number(process.env.PROF_REPLAYS ?? 10);
const replayStarted = performance.now();
const replayCpu = process.cpuUsage();
for (let index = 0; index < replays; index++) {
  const results = await push(batches[index % batches.length]!);
  if (results.some((r) => r.status !== 'duplicate')) throw new Error('not a duplicate');
}
const replayMs = (performance.now() - replayStarted) / replays;
const replayCpuMs = (process.cpuUsage(replayCpu).user + process.cpuUsage(replayCpu).system) / 1000 / replays;
console.log(
  `runPush: ${Math.round((n * 1000) / ms)} events/s, ${(ms / batches.length).toFixed(1)} ms per batch (CPU ${(cpuMs / batches.length).toFixed(1)} ms); replay ${replayMs.toFixed(1)} ms per batch (CPU ${replayCpuMs.toFixed(1)} ms)`,
);
if (logged) {
  for (const [kind, total] of [...queryTotals].sort((a, b) => b[1].ms - a[1].ms))
    console.log(`${total.ms.toFixed(0).padStart(7)} ms ${String(total.n).padStart(6)}×  ${kind}`);
  await logged.destroy();
}
await database.close();
