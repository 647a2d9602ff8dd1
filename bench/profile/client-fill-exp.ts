// How fast do pull pages apply into a client store as it grows, with the default page cache and a larger one?
import { join } from 'node:path';
import { cursorSchema, type PullResponse } from '@clinicsync/protocol';
import { fakeClock, sequentialIds } from '../../packages/client/src/deps.ts';
import { applyPullPage } from '../../packages/client/src/store/apply-pull-page.ts';
import { openBetterSqlite3 } from '../../packages/client/src/store/better-sqlite3-database.ts';
import { migrateLocalStore } from '../../packages/client/src/store/local-schema.ts';
import { patientRows } from '../lib/rows.ts';
import { benchTempDir } from '../lib/temp.ts';

for (const variant of (process.env.VARIANTS ?? 'default').split(',')) {
  const cache = undefined;
  const db = openBetterSqlite3(join(benchTempDir('cfe'), 'c.sqlite'));
  if (cache) db.exec(`PRAGMA cache_size = ${cache}`);
  migrateLocalStore(db);
  for (const index of variant.split('+').filter((v) => v.startsWith('drop:'))) db.exec(`DROP INDEX ${index.slice(5)}`);
  if (variant.includes('normal')) db.exec('PRAGMA synchronous = NORMAL');
  const ckpt = /ckpt(\d+)/.exec(variant);
  if (ckpt) db.exec(`PRAGMA wal_autocheckpoint = ${ckpt[1]}`);
  if (variant.includes('cache')) db.exec('PRAGMA cache_size = -131072');
  const ctx = { db, clock: fakeClock('2026-01-01T00:00:00Z'), ids: sequentialIds(1) };
  const org = '3f0d8a4e-5b7c-4d2e-9f1a-0b1c2d3e4f50';
  const total = Number(process.env.N ?? 200_000);
  const started = performance.now();
  let mark = started;
  for (let done = 0; done < total; done += 1000) {
    const changes = patientRows(org, 1000).map(({ id, ...data }) => ({
      table: 'patients',
      recordId: id,
      op: 'UPSERT' as const,
      version: 1,
      organizationId: org,
      data: { ...data, updated_at: '2026-01-01T00:00:00.000Z', updated_by: org },
    }));
    const page: PullResponse = {
      changes,
      cursor: cursorSchema.parse(`c${done}`),
      hasMore: true,
      revokedOrganizations: [],
    };
    applyPullPage(ctx, page);
    if ((done + 1000) % 50_000 === 0) {
      const now = performance.now();
      console.log(`${variant}: rows ${done + 1000}, last 50k at ${Math.round(50_000_000 / (now - mark))} rows/s`);
      mark = now;
    }
  }
  console.log(`${variant}: ${Math.round((total * 1000) / (performance.now() - started))} rows/s overall`);
  db.close();
}
