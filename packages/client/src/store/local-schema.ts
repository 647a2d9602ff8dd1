/**
 * Creates and upgrades the local store, on every open.
 *
 * Two parts (docs/schema-migrations.md, "Client store"):
 * - `STORE_MIGRATIONS`, ordered and frozen, numbered by SQLite's
 *   `PRAGMA user_version` (the count applied): the engine's own tables
 *   (`_outbox`, `_conflicts`, `_dead_letters`, `_sync_state`, …), the synced
 *   tables as schema version 1 has them and their indexes. Each runs once,
 *   in one transaction with the new number. They never depend on the schema
 *   version an engine opens at, so every engine has every engine table.
 * - the columns a registry version above 1 added (`since: N`), taken from the
 *   registry up to the engine's schema version: an engine opened at an older
 *   version keeps the store an app of that version had, and the columns
 *   arrive when a newer one opens it (`upgradeStoreSchema` then resyncs).
 */
import { SCHEMA_VERSION, TABLE_NAMES, columnSince } from '@clinicsync/protocol';
import { restoreBulkLoadIndexes } from './bulk-load.ts';
import { dataColumns, quoteIdent, sqliteType } from './local-columns.ts';
import * as initial from './migrations/0001-initial.ts';
import * as nothingLost from './migrations/0002-held-events-and-resolutions.ts';
import * as patientSearch from './migrations/0003-patient-search.ts';
import * as drafts from './migrations/0004-drafts.ts';
import * as patientSearchKeys from './migrations/0005-patient-search-keys.ts';
import type { SqliteDatabase } from './sqlite-database.ts';
import { StoreTooNewError } from './upgrade-store-schema.ts';

export type StoreMigration = { readonly name: string; up(db: SqliteDatabase): void };

/** Every store migration, in the order they run; a store's `user_version` is how many it has. Append only. */
export const STORE_MIGRATIONS: readonly StoreMigration[] = [
  { name: '0001-initial', up: initial.up },
  { name: '0002-held-events-and-resolutions', up: nothingLost.up },
  { name: '0003-patient-search', up: patientSearch.up },
  { name: '0004-drafts', up: drafts.up },
  { name: '0005-patient-search-keys', up: patientSearchKeys.up },
];

/**
 * The store was written by an app with more store migrations than this one
 * (a `StoreTooNewError`, so the app shows the same "install the newer
 * version" to the user).
 */
export class StoreFormatTooNewError extends StoreTooNewError {
  override name = 'StoreFormatTooNewError';
  readonly storeFormat: number;
  constructor(storeFormat: number) {
    super(SCHEMA_VERSION, SCHEMA_VERSION);
    this.storeFormat = storeFormat;
    this.message = `The local data was written by a newer version of the app (store format ${storeFormat}, this app knows ${STORE_MIGRATIONS.length}). Install the newer version.`;
  }
}

export function storeFormatVersion(db: SqliteDatabase): number {
  return Number(db.get('PRAGMA user_version')?.user_version ?? 0);
}

/** Runs the store migrations the store has not had yet, each in one transaction with its number. */
export function runStoreMigrations(db: SqliteDatabase): void {
  const applied = storeFormatVersion(db);
  if (applied > STORE_MIGRATIONS.length) throw new StoreFormatTooNewError(applied);
  for (let index = applied; index < STORE_MIGRATIONS.length; index++) {
    db.transaction(() => {
      STORE_MIGRATIONS[index]!.up(db);
      db.exec(`PRAGMA user_version = ${index + 1}`);
    });
  }
}

/**
 * Brings the local store to the client's schema version (default: this
 * build's): store migrations first, then the columns a newer version added,
 * in place and empty. Rows stay; fetching their new values again is
 * `upgradeStoreSchema`'s job.
 */
export function migrateLocalStore(db: SqliteDatabase, schemaVersion = SCHEMA_VERSION): void {
  runStoreMigrations(db);
  db.transaction(() => {
    for (const table of TABLE_NAMES) {
      const t = quoteIdent(table);
      const existing = new Set(db.all(`PRAGMA table_info(${t})`).map((c) => String(c.name)));
      for (const [name, column] of dataColumns(table, schemaVersion)) {
        if (columnSince(column) === 1 || existing.has(name)) continue;
        db.exec(`ALTER TABLE ${t} ADD COLUMN ${quoteIdent(name)} ${sqliteType(column)}`);
        if (column.type === 'uuid')
          db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}_${name}_idx`)} ON ${t} (${quoteIdent(name)})`);
      }
    }
    // A first sync stopped halfway left its tables without secondary indexes.
    restoreBulkLoadIndexes(db);
  });
}
