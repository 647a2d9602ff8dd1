/**
 * How the raw write set of a push batch (floor.ts) slows down as the server
 * grows, and what SQLite settings change about it: fills a migrated server
 * file with N patients, then times 500-event transactions of raw inserts.
 * `N=300000 VARIANTS=default,page1024,cache npx tsx bench/profile/scale-floor-exp.ts`
 */
import SQLite from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { connectDatabase } from '../../packages/server/src/db/connect.ts';
import { migrate } from '../../packages/server/src/db/migrate.ts';
import { percentiles } from '../lib/measure.ts';
import { patientRows } from '../lib/rows.ts';
import { seedPatients } from '../lib/seed-server.ts';
import { benchTempDir } from '../lib/temp.ts';

const require = createRequire(import.meta.url);
const sizes = (process.env.N ?? '10000,300000').split(',').map(Number);
for (const variant of (process.env.VARIANTS ?? 'default').split(',')) {
  for (const n of sizes) {
    const path = join(benchTempDir('sfe'), 'server.sqlite');
    const pageSize = /page(\d+)/.exec(variant)?.[1];
    if (pageSize) {
      const pre = new SQLite(path);
      pre.pragma(`page_size = ${pageSize}`);
      pre.exec('vacuum');
      pre.close();
    }
    const migrated = connectDatabase({ url: path });
    await migrate(migrated.db, migrated.caps);
    await migrated.close();
    const organizationId = randomUUID();
    const userId = randomUUID();
    const deviceId = randomUUID();
    const db = new SQLite(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.prepare('insert into org_seq (organization_id, last_seq) values (?, 0)').run(organizationId);
    db.close();
    seedPatients({ path, organizationId, userId, deviceId }, n);
    const live = new SQLite(path);
    live.pragma('journal_mode = WAL');
    live.pragma('synchronous = NORMAL');
    if (variant.includes('cache')) live.pragma('cache_size = -262144');
    const ckpt = /ckpt(\d+)/.exec(variant)?.[1];
    if (ckpt) live.pragma(`wal_autocheckpoint = ${ckpt}`);
    // bg: no checkpoints on the writing connection; a worker thread checkpoints (PASSIVE) every 200 ms instead.
    const worker = variant.includes('bg')
      ? new Worker(
          `const SQLite = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new SQLite(${JSON.stringify(path)}); db.pragma('busy_timeout = 5000');
           const { parentPort } = require('node:worker_threads'); const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), 200);
           parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });`,
          { eval: true },
        )
      : undefined;
    if (worker) live.pragma('wal_autocheckpoint = 0');
    let seq = n;
    const now = new Date().toISOString();
    const ins = (table: string, k: number) =>
      live.prepare(`insert into ${table} values (${Array(k).fill('?').join(',')})`);
    const p = live.prepare(
      'insert into patients (id, version, updated_at, updated_by, deleted, field_versions, organization_id, given_name, family_name, birth_date, sex, phone, address, notes) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
    );
    const c = ins('change_log', 7);
    const a = ins('audit_log', 12);
    const e = ins('applied_events', 7);
    const samples: number[] = [];
    for (let batch = 0; batch < 25; batch++) {
      const rows = patientRows(organizationId, 500);
      const started = performance.now();
      live.transaction(() => {
        for (const r of rows) {
          const { id, ...v } = r;
          const json = JSON.stringify(v);
          seq += 1;
          p.run(
            id,
            1,
            now,
            userId,
            0,
            '{}',
            v.organization_id,
            v.given_name,
            v.family_name,
            v.birth_date,
            v.sex,
            v.phone,
            v.address,
            v.notes,
          );
          c.run(organizationId, seq, 'patients', id, 1, 'UPSERT', json);
          a.run(organizationId, seq, now, userId, deviceId, randomUUID(), 'patients', id, 'INSERT', 1, null, json);
          e.run(
            randomUUID(),
            userId,
            deviceId,
            organizationId,
            'f'.repeat(64),
            '{"status":"applied","version":1}',
            now,
          );
        }
      })();
      if (batch >= 5) samples.push(performance.now() - started);
    }
    const stats = percentiles(samples);
    console.log(
      `${variant.padEnd(16)} ${String(n).padStart(8)} rows: raw write set ${stats.p50.toFixed(1)} ms p50, ${stats.p99.toFixed(1)} ms p99 per 500-event batch`,
    );
    if (worker) {
      worker.postMessage('stop');
      await new Promise((done) => worker.once('exit', done));
    }
    live.close();
  }
}
