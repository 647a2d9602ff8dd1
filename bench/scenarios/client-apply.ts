/**
 * A client holding many rows applies one pulled change: the real store
 * (better-sqlite3 on a file, its pragmas, its migrations, indexes, triggers
 * and background checkpoint) is filled with `rows` patients, then
 * single-change pull pages are applied through `applyPullPage` exactly as the
 * pull loop does — an update of an existing patient, and a delete — each in
 * its own local transaction with its cursor. Reports the time per page.
 *
 * The fill is the pull itself, in large pages: `applyPullPage` with 50,000
 * changes a page (a first sync, so the store's own bulk load drops and then
 * rebuilds the secondary indexes), and the patient search index built after
 * each page by the store's own `refreshPatientTerms`, so the index never
 * holds more than one page's patients in memory. What it leaves is what a
 * first sync leaves: the rows, their indexes, the search terms, an empty
 * stale list, the cursor. The pages are applied in memory and written to the
 * store file in one pass, which is then opened as the app opens it.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Change, cursorSchema, type PullResponse, SCHEMA_VERSION } from '@clinicsync/protocol';
import { fakeClock, sequentialIds } from '../../packages/client/src/deps.ts';
import { applyPullPage } from '../../packages/client/src/store/apply-pull-page.ts';
import { makeStoreOwnerOnly, openBetterSqlite3 } from '../../packages/client/src/store/better-sqlite3-database.ts';
import { migrateLocalStore } from '../../packages/client/src/store/local-schema.ts';
import { refreshPatientTerms } from '../../packages/client/src/store/patient-search.ts';
import type { SqliteDatabase } from '../../packages/client/src/store/sqlite-database.ts';
import type { StoreContext } from '../../packages/client/src/store/store-context.ts';
import { writeState } from '../../packages/client/src/store/sync-state.ts';
import { upgradeStoreSchema } from '../../packages/client/src/store/upgrade-store-schema.ts';
import { percentiles, type Stats, timed } from '../lib/measure.ts';
import { patientRows } from '../lib/rows.ts';
import { benchTempDir } from '../lib/temp.ts';

export type ClientApply = {
  readonly rows: number;
  readonly update: Stats;
  readonly delete: Stats;
  /** A transaction writing only the cursor, between the pages: what one commit (its fsync) costs on this disk. */
  readonly commit: Stats;
  readonly fillMs: number;
};

/** Rows per fill page: large, so per-page work is negligible, small enough to keep the page's objects in memory. */
const FILL_PAGE = 50_000;

/** Between two measured pages: less than any pull's round trip (loopback included), so never flattering. */
const PAUSE_MS = 1;

const page = (changes: Change[], hasMore: boolean): PullResponse => ({
  changes,
  cursor: cursorSchema.parse(`c1.bench-${randomUUID()}`),
  hasMore,
  revokedOrganizations: [],
});

/**
 * Fills the store at `path` as a first sync of `rows` patients would; returns the patients' ids.
 * The pages are applied to the store's schema in memory and the result written to `path` in one
 * pass (`VACUUM INTO`): on a file, every fill page rewrote most of the search index through the WAL
 * (60 GB written and 9 minutes for 1,000,000 patients), which is the fill's cost, not the store's.
 */
export async function fillClientStore(
  path: string,
  rows: number,
  organizationId: string,
  userId: string,
): Promise<string[]> {
  const db = openBetterSqlite3(':memory:');
  try {
    migrateLocalStore(db);
    upgradeStoreSchema(db, SCHEMA_VERSION);
    const ctx: StoreContext = { db, clock: fakeClock('2026-01-01T00:00:00Z'), ids: sequentialIds(1) };
    const stamp = { updated_at: '2026-01-01T00:00:00.000Z', updated_by: userId };
    const ids: string[] = [];
    const first: Change[] = [
      {
        table: 'organizations',
        recordId: organizationId,
        op: 'UPSERT',
        version: 1,
        organizationId,
        data: { name: 'Kisumu Outreach', ...stamp },
      },
      {
        table: 'members',
        recordId: randomUUID(),
        op: 'UPSERT',
        version: 1,
        organizationId,
        data: { organization_id: organizationId, user_id: userId, role: 'admin', team_id: null, ...stamp },
      },
    ];
    for (let done = 0; done < rows; done += FILL_PAGE) {
      const changes: Change[] = done === 0 ? first : [];
      for (const row of patientRows(organizationId, Math.min(FILL_PAGE, rows - done))) {
        ids.push(row.id);
        changes.push({
          table: 'patients',
          recordId: row.id,
          op: 'UPSERT',
          version: 1,
          organizationId,
          data: { ...row, ...stamp },
        });
      }
      applyPullPage(ctx, page(changes, done + FILL_PAGE < rows));
      refreshPatientTerms(db);
    }
    // The store file is made owner-only first, as the store does; VACUUM INTO fills an empty file.
    makeStoreOwnerOnly(path);
    db.run('VACUUM INTO ?', [path]);
    // On disk before the store opens it, as a store that has been in use is: the first commits must not wait for it.
    const fd = openSync(path, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    return ids;
  } finally {
    await db.close();
  }
}

/** Opens the store as the app does: its pragmas and background checkpoint, migrations, schema version. */
export function openClientStore(path: string): SqliteDatabase {
  const db = openBetterSqlite3(path);
  migrateLocalStore(db);
  upgradeStoreSchema(db, SCHEMA_VERSION);
  return db;
}

/** Fills a client store with `rows` patients, then applies `rounds` one-change pages of each kind. */
export async function measureClientApply(rows: number, rounds: number): Promise<ClientApply> {
  const path = join(benchTempDir('store'), 'client.sqlite');
  const organizationId = randomUUID();
  const userId = randomUUID();
  const fill = await timed(() => fillClientStore(path, rows, organizationId, userId));
  const ids = fill.value;
  const db = openClientStore(path);
  const ctx: StoreContext = { db, clock: fakeClock('2026-01-02T00:00:00Z'), ids: sequentialIds(1) };
  const stale = Number(db.get('SELECT count(*) AS n FROM _patient_terms_stale')?.n ?? 0);
  if (stale !== 0) throw new Error(`the filled store has ${stale} patients waiting for the search index`);

  const pick = (i: number) => ids[Math.floor(((i + 0.5) * ids.length) / (2 * rounds + 1))]!;
  const update: number[] = [];
  const remove: number[] = [];
  const commit: number[] = [];
  // What the engine does between two pulled pages, untimed: the search index catches up (a no-op when the page
  // already did it), and the next page is at least a round trip away.
  const between = async () => {
    refreshPatientTerms(db);
    await sleep(PAUSE_MS);
  };
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
    const updated = page([{ table: 'patients', recordId: id, op: 'UPSERT', version: 2, organizationId, data }], false);
    update.push((await timed(() => applyPullPage(ctx, updated))).ms);
    await between();
    const gone = pick(2 * i + 1);
    const deleted = page(
      [{ table: 'patients', recordId: gone, op: 'DELETE', version: 2, organizationId, data: null }],
      false,
    );
    remove.push((await timed(() => applyPullPage(ctx, deleted))).ms);
    await between();
    // The floor of any durable transaction on this disk, in the same moment: the cursor alone, one fsync.
    commit.push((await timed(() => db.transaction(() => writeState(db, 'cursor', deleted.cursor)))).ms);
    await between();
  }
  const count = Number(db.get('SELECT count(*) AS n FROM patients WHERE deleted = 0')?.n ?? 0);
  if (count !== rows - rounds) throw new Error(`the store holds ${count} live rows, expected ${rows - rounds}`);
  await db.close();
  return {
    rows,
    update: percentiles(update),
    delete: percentiles(remove),
    commit: percentiles(commit),
    fillMs: fill.ms,
  };
}
