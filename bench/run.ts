/**
 * `npm run bench [-- --quick]`: measures ClinicSync against the raw SQLite
 * ceiling and PouchDB in one run and writes bench/results/results.{json,md}
 * and chart.svg. Set CLINICSYNC_TEST_PG_URL to include PostgreSQL.
 */
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freshPostgresDatabase } from '../packages/server/test/support/dialects.ts';
import { startServerProcess } from '../packages/server/test/support/server-process.ts';
import type { Result } from './lib/report.ts';
import { writeReport } from './lib/report.ts';
import { patientRows } from './lib/rows.ts';
import { rawSqliteInsertRate } from './scenarios/ceiling.ts';
import { pouchReplicationRate } from './scenarios/pouchdb.ts';
import { measurePush } from './scenarios/push.ts';

const quick = process.argv.includes('--quick');
const sizes = quick ? { push: 10_000 } : { push: 50_000 };
const results: Result[] = [];
const log = (line: string) => process.stdout.write(`${line}\n`);
const startedAt = new Date().toISOString();

// The ceiling and the peer get exactly the same documents.
const rows = patientRows('3f0d8a4e-5b7c-4d2e-9f1a-0b1c2d3e4f50', sizes.push);
log(`raw SQLite inserts of ${sizes.push} rows…`);
const ceiling = await rawSqliteInsertRate(rows);
results.push({ id: 'ceiling.raw_sqlite_insert', title: 'Raw better-sqlite3 inserts (500-row transactions)', value: ceiling, unit: 'rows/s' });

log(`PouchDB replication of ${sizes.push} documents to pouchdb-server…`);
const pouch = await pouchReplicationRate(rows);
results.push({ id: 'peer.pouchdb_replication', title: 'PouchDB → pouchdb-server replication', value: pouch, unit: 'docs/s' });

log(`ClinicSync push on SQLite (${sizes.push} events)…`);
const sqliteServer = await startServerProcess({ env: { LOG_LEVEL: 'warn' } });
try {
  const run = await measurePush(sqliteServer.url, sizes.push);
  results.push({
    id: 'push.sqlite',
    title: 'ClinicSync push, SQLite (HTTP, 500/batch)',
    value: run.eventsPerSecond,
    unit: 'events/s',
    ratio: { of: 'raw SQLite ceiling', value: run.eventsPerSecond / ceiling, target: '≥ 0.25', met: run.eventsPerSecond / ceiling >= 0.25 },
  });
  results.push({
    id: 'push.sqlite_vs_pouchdb',
    title: 'ClinicSync push ÷ PouchDB replication',
    value: run.eventsPerSecond,
    unit: 'events/s',
    ratio: { of: 'PouchDB', value: run.eventsPerSecond / pouch, target: '≥ 10', met: run.eventsPerSecond / pouch >= 10 },
  });
  results.push({
    id: 'push.replay',
    title: 'Replayed batch (500 duplicates) vs new batch, p50',
    value: run.replayBatchMs.p50,
    unit: 'ms',
    ratio: { of: 'new batch p50', value: run.replayBatchMs.p50 / run.batchMs.p50, target: '≪ 1', met: run.replayBatchMs.p50 < run.batchMs.p50 / 2 },
  });
} finally {
  await sqliteServer.stop();
}

if (process.env.CLINICSYNC_TEST_PG_URL) {
  log(`ClinicSync push on PostgreSQL (${sizes.push} events)…`);
  const pgServer = await startServerProcess({ db: await freshPostgresDatabase(), env: { LOG_LEVEL: 'warn' } });
  try {
    const run = await measurePush(pgServer.url, sizes.push);
    results.push({
      id: 'push.postgres',
      title: 'ClinicSync push, PostgreSQL (HTTP, 500/batch)',
      value: run.eventsPerSecond,
      unit: 'events/s',
      ratio: { of: 'raw SQLite ceiling', value: run.eventsPerSecond / ceiling },
    });
  } finally {
    await pgServer.stop();
  }
} else {
  log('PostgreSQL skipped: CLINICSYNC_TEST_PG_URL is not set (npm run pg prints one).');
}

const report = { startedAt, machine: { cpus: cpus().length, node: process.version, platform: process.platform }, quick, results };
writeReport(fileURLToPath(new URL('./results/', import.meta.url)), report);
for (const r of results) log(`${r.title}: ${Math.round(r.value)} ${r.unit}${r.ratio ? ` (${r.ratio.value.toFixed(2)}× ${r.ratio.of})` : ''}`);
log('Results written to bench/results/.');
