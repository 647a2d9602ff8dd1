// A first sync into an empty store (bulk load) with the store's WAL settings as they are, or a larger autocheckpoint during the load.
import { join } from 'node:path';
import { cursorSchema, type PullResponse } from '@clinicsync/protocol';
import { fakeClock, sequentialIds } from '../../packages/client/src/deps.ts';
import { applyPullPage } from '../../packages/client/src/store/apply-pull-page.ts';
import { openBetterSqlite3 } from '../../packages/client/src/store/better-sqlite3-database.ts';
import { migrateLocalStore } from '../../packages/client/src/store/local-schema.ts';
import { patientRows } from '../lib/rows.ts';
import { benchTempDir } from '../lib/temp.ts';

const total = Number(process.env.N ?? 100_000);
for (const ckpt of (process.env.CKPT ?? '1000,10000').split(',').map(Number)) {
  const db = openBetterSqlite3(join(benchTempDir('cbe'), 'c.sqlite'));
  migrateLocalStore(db);
  db.exec(`PRAGMA wal_autocheckpoint = ${ckpt}`);
  const ctx = { db, clock: fakeClock('2026-01-01T00:00:00Z'), ids: sequentialIds(1) };
  const org = '3f0d8a4e-5b7c-4d2e-9f1a-0b1c2d3e4f50';
  const pages: PullResponse[] = [];
  for (let done = 0; done < total; done += 1000) {
    const changes = patientRows(org, 1000).map(({ id, ...data }) => ({
      table: 'patients',
      recordId: id,
      op: 'UPSERT' as const,
      version: 1,
      organizationId: org,
      data: { ...data, updated_at: '2026-01-01T00:00:00.000Z', updated_by: org },
    }));
    pages.push({
      changes,
      cursor: cursorSchema.parse(`c${done}`),
      hasMore: done + 1000 < total,
      revokedOrganizations: [],
    });
  }
  const started = performance.now();
  for (const page of pages) applyPullPage(ctx, page);
  console.log(`wal_autocheckpoint ${ckpt}: ${Math.round((total * 1000) / (performance.now() - started))} rows/s`);
  db.close();
}
