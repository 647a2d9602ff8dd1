/**
 * A first sync into an empty store is a bulk load: thousands of rows arrive
 * in random id order, and maintaining every secondary index row by row
 * dirties a different B-tree page per row and index (measured: about 2.5×
 * slower at 100,000 rows, worse as the store grows; bench/README.md). So
 * when the first page of a first sync arrives with more to come and the
 * synced tables are empty, their secondary indexes are dropped, and the page
 * that ends the sync builds them again, each in one pass over the loaded
 * rows. Both happen inside the pages' own transactions, so a failed page
 * leaves the indexes as they were. Reads stay correct meanwhile, only slower;
 * and if the app stops halfway, opening the store creates the indexes again
 * (`migrateLocalStore`), so nothing depends on a load being finished.
 * The dropped indexes' own SQL is kept in `_sync_state` and replayed, so the
 * indexes come back exactly as the store migrations made them.
 */
import { TABLE_NAMES } from '@clinicsync/protocol';
import { quoteIdent } from './local-columns.ts';
import type { SqliteDatabase } from './sqlite-database.ts';
import { readState, writeState } from './sync-state.ts';

/** Starts a bulk load when this is the first page of a first sync into empty tables; true when one is running. */
export function beginBulkLoad(db: SqliteDatabase, page: { readonly hasMore: boolean }): boolean {
  if (readState(db, 'bulk_load') === '1') return true;
  if (!page.hasMore || readState(db, 'cursor') !== null) return false;
  if (TABLE_NAMES.some((table) => db.get(`SELECT 1 AS one FROM ${quoteIdent(table)} LIMIT 1`) !== undefined))
    return false;
  const tables = TABLE_NAMES.map(() => '?').join(', ');
  // Secondary indexes only: a primary key's index has no SQL text and stays.
  const indexes = db.all(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables}) ORDER BY name`,
    [...TABLE_NAMES],
  );
  writeState(
    db,
    'bulk_load_indexes',
    JSON.stringify(indexes.map((index) => ({ name: String(index.name), sql: String(index.sql) }))),
  );
  for (const index of indexes) db.exec(`DROP INDEX ${quoteIdent(String(index.name))}`);
  writeState(db, 'bulk_load', '1');
  return true;
}

/** Ends a running bulk load: builds the secondary indexes it dropped, each in one pass. */
export function finishBulkLoad(db: SqliteDatabase): void {
  if (readState(db, 'bulk_load') !== '1') return;
  restoreBulkLoadIndexes(db);
  writeState(db, 'bulk_load', null);
  writeState(db, 'bulk_load_indexes', null);
}

/** Creates again every index a bulk load dropped that is still missing (idempotent). */
export function restoreBulkLoadIndexes(db: SqliteDatabase): void {
  const saved = readState(db, 'bulk_load_indexes');
  if (saved === null) return;
  for (const index of JSON.parse(saved) as { name: string; sql: string }[]) {
    if (db.get("SELECT 1 AS one FROM sqlite_master WHERE type = 'index' AND name = ?", [index.name]) === undefined)
      db.exec(index.sql);
  }
}
