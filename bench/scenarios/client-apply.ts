/**
 * A client holding many rows applies one pulled change: the real store
 * (better-sqlite3 on a file, its pragmas, its migrations and indexes) is
 * filled directly with `rows` patients, then single-change pull pages are
 * applied through `applyPullPage` exactly as the pull loop does — an update
 * of an existing patient, and a delete — each in its own local transaction
 * with its cursor. Reports the time per page.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { cursorSchema, type PullResponse } from '@clinicsync/protocol';
import { fakeClock, sequentialIds } from '../../packages/client/src/deps.ts';
import { applyPullPage } from '../../packages/client/src/store/apply-pull-page.ts';
import { openBetterSqlite3 } from '../../packages/client/src/store/better-sqlite3-database.ts';
import { dataColumns, quoteIdent } from '../../packages/client/src/store/local-columns.ts';
import { migrateLocalStore } from '../../packages/client/src/store/local-schema.ts';
import type { StoreContext } from '../../packages/client/src/store/store-context.ts';
import { percentiles, timed, type Stats } from '../lib/measure.ts';
import { patientRows } from '../lib/rows.ts';
import { benchTempDir } from '../lib/temp.ts';

export type ClientApply = {
  readonly rows: number;
  readonly update: Stats;
  readonly delete: Stats;
  readonly fillMs: number;
};

/** Fills a fresh client store with `rows` patients, then applies `rounds` one-change pages of each kind. */
export async function measureClientApply(rows: number, rounds: number): Promise<ClientApply> {
  const db = openBetterSqlite3(join(benchTempDir('store'), 'client.sqlite'));
  migrateLocalStore(db);
  const ctx: StoreContext = { db, clock: fakeClock('2026-01-01T00:00:00Z'), ids: sequentialIds(1) };
  const organizationId = randomUUID();
  const userId = randomUUID();
  const columns = dataColumns('patients').map(([name]) => name);
  const insert = db.prepare(
    `INSERT INTO patients (id, version, updated_at, updated_by, deleted, _organization_id, ${columns.map(quoteIdent).join(', ')})
     VALUES (${['?', '?', '?', '?', '?', '?', ...columns.map(() => '?')].join(', ')})`,
  );
  const ids: string[] = [];
  const fill = await timed(() => {
    for (let done = 0; done < rows; done += 50_000) {
      db.transaction(() => {
        for (const row of patientRows(organizationId, Math.min(50_000, rows - done))) {
          ids.push(row.id);
          const values = row as unknown as Record<string, string | null>;
          insert.run(
            row.id,
            1,
            '2026-01-01T00:00:00.000Z',
            userId,
            0,
            organizationId,
            ...columns.map((name) => values[name] ?? null),
          );
        }
      });
    }
  });

  const page = (change: PullResponse['changes'][number]): PullResponse => ({
    changes: [change],
    cursor: cursorSchema.parse(`c1.bench-${randomUUID()}`),
    hasMore: false,
    revokedOrganizations: [],
  });
  const pick = (i: number) => ids[Math.floor(((i + 0.5) * ids.length) / (2 * rounds + 1))]!;
  const update: number[] = [];
  const remove: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const id = pick(2 * i);
    const data = {
      organization_id: organizationId,
      given_name: 'Amina',
      family_name: `Okafor-${i}`,
      phone: `+254 7${i}`,
      updated_at: '2026-01-02T00:00:00.000Z',
      updated_by: userId,
    };
    update.push(
      (
        await timed(() =>
          applyPullPage(ctx, page({ table: 'patients', recordId: id, op: 'UPSERT', version: 2, organizationId, data })),
        )
      ).ms,
    );
    const gone = pick(2 * i + 1);
    remove.push(
      (
        await timed(() =>
          applyPullPage(
            ctx,
            page({ table: 'patients', recordId: gone, op: 'DELETE', version: 2, organizationId, data: null }),
          ),
        )
      ).ms,
    );
  }
  const count = Number(db.get('SELECT count(*) AS n FROM patients WHERE deleted = 0')?.n ?? 0);
  if (count !== rows - rounds) throw new Error(`the store holds ${count} live rows, expected ${rows - rounds}`);
  db.close();
  return { rows, update: percentiles(update), delete: percentiles(remove), fillMs: fill.ms };
}
