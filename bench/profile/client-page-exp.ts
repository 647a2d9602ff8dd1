/**
 * A first sync's client work without the network: pull answers of patients as
 * the server sends them (JSON text, made beforehand), each parsed, checked
 * as the engine checks it (pull-page-schema.ts) and applied with `applyPullPage` into a fresh store
 * file opened as the engine opens it, plain or encrypted (`KEY=1`). Prints
 * rows/s and where the time went (parse, check, apply).
 * `N=100000 LIMIT=1000 KEY=1 npx tsx bench/profile/client-page-exp.ts`
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fakeClock, sequentialIds } from '../../packages/client/src/deps.ts';
import { pullResponseSchema } from '@clinicsync/protocol';
import { applyPullPage } from '../../packages/client/src/store/apply-pull-page.ts';
import { openBetterSqlite3 } from '../../packages/client/src/store/better-sqlite3-database.ts';
import { migrateLocalStore } from '../../packages/client/src/store/local-schema.ts';
import { patientRows } from '../lib/rows.ts';
import { benchTempDir } from '../lib/temp.ts';

// The engine's own check where it has one (a checkout from before pull-page-schema.ts checks with the protocol's).
const pullPageSchema = await import('../../packages/client/src/pull-page-schema.ts').then(
  (module) => module.pullPageSchema,
  () => pullResponseSchema,
);
const total = Number(process.env.N ?? 100_000);
const limit = Number(process.env.LIMIT ?? 1000);
const org = '3f0d8a4e-5b7c-4d2e-9f1a-0b1c2d3e4f50';
const user = '3f0d8a4e-5b7c-4d2e-9f1a-0b1c2d3e4f52';
const texts: string[] = [];
for (let done = 0; done < total; done += limit) {
  const changes = patientRows(org, Math.min(limit, total - done)).map(({ id, ...data }, i) => ({
    table: 'patients',
    recordId: id,
    op: 'UPSERT',
    version: 1,
    organizationId: org,
    data: { ...data, updated_at: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`, updated_by: user },
  }));
  texts.push(JSON.stringify({ changes, cursor: `c${done}`, hasMore: done + limit < total, revokedOrganizations: [] }));
}

const key = process.env.KEY === '1' ? randomBytes(32) : undefined;
// MEM=1: an in-memory store, to see the CPU of the apply path without the disk.
const db = openBetterSqlite3(process.env.MEM === '1' ? ':memory:' : join(benchTempDir('cpe'), 'c.sqlite'), { key });
migrateLocalStore(db);
if (process.env.CACHE) db.exec(`PRAGMA cache_size = -${process.env.CACHE}`);
const ctx = { db, clock: fakeClock('2026-01-01T00:00:00Z'), ids: sequentialIds(1) };
let parseMs = 0;
let checkMs = 0;
let applyMs = 0;
const started = performance.now();
const cpu = process.cpuUsage();
for (const text of texts) {
  const t0 = performance.now();
  const body: unknown = JSON.parse(text);
  const t1 = performance.now();
  const page = pullPageSchema.parse(body);
  const t2 = performance.now();
  applyPullPage(ctx, page);
  const t3 = performance.now();
  parseMs += t1 - t0;
  checkMs += t2 - t1;
  applyMs += t3 - t2;
}
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
const rows = Number(db.get('SELECT count(*) AS n FROM patients')?.n);
await db.close();
console.log(
  JSON.stringify({
    encrypted: key !== undefined,
    rows,
    rowsPerSecond: Math.round((rows * 1000) / ms),
    ms: Math.round(ms),
    cpuMs: Math.round((used.user + used.system) / 1000),
    parseMs: Math.round(parseMs),
    checkMs: Math.round(checkMs),
    applyMs: Math.round(applyMs),
  }),
);
