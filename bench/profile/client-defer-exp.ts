// Initial fill of a client store: secondary indexes maintained row by row, or dropped and built once at the end.
import { join } from 'node:path';
import { cursorSchema, type PullResponse } from '@clinicsync/protocol';
import { fakeClock, sequentialIds } from '../../packages/client/src/deps.ts';
import { applyPullPage } from '../../packages/client/src/store/apply-pull-page.ts';
import { openBetterSqlite3 } from '../../packages/client/src/store/better-sqlite3-database.ts';
import { migrateLocalStore } from '../../packages/client/src/store/local-schema.ts';
import { patientRows } from '../lib/rows.ts';
import { benchTempDir } from '../lib/temp.ts';

const total = Number(process.env.N ?? 100_000);
for (const defer of [false, true]) {
  const db = openBetterSqlite3(join(benchTempDir('cde'), 'c.sqlite'));
  migrateLocalStore(db);
  const indexes = db.all(
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'patients' AND sql IS NOT NULL",
  ) as { name: string; sql: string }[];
  const ctx = { db, clock: fakeClock('2026-01-01T00:00:00Z'), ids: sequentialIds(1) };
  const org = '3f0d8a4e-5b7c-4d2e-9f1a-0b1c2d3e4f50';
  const started = performance.now();
  if (defer) for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
  for (let done = 0; done < total; done += 1000) {
    const changes = patientRows(org, 1000).map(({ id, ...data }) => ({
      table: 'patients',
      recordId: id,
      op: 'UPSERT' as const,
      version: 1,
      organizationId: org,
      data: { ...data, updated_at: '2026-01-01T00:00:00.000Z', updated_by: org },
    }));
    applyPullPage(ctx, {
      changes,
      cursor: cursorSchema.parse(`c${done}`),
      hasMore: true,
      revokedOrganizations: [],
    } satisfies PullResponse);
  }
  const loaded = performance.now();
  const rssBefore = process.memoryUsage.rss();
  if (defer)
    db.transaction(() => {
      for (const i of indexes) db.exec(i.sql);
    });
  const ended = performance.now();
  console.log(
    `  rss before index build ${Math.round(rssBefore / 2 ** 20)} MiB, after ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MiB, max so far ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
  );
  console.log(
    `${defer ? 'deferred' : 'row by row'}: ${Math.round((total * 1000) / (ended - started))} rows/s (load ${Math.round(loaded - started)} ms, indexes ${Math.round(ended - loaded)} ms; ${indexes.length} indexes)`,
  );
  db.close();
}
