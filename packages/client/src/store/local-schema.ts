/**
 * Creates and upgrades the local store: one table per registry table (plus a
 * hidden `_organization_id` so rows of a revoked organization can be purged),
 * and the engine's own tables. Idempotent; runs on every open.
 */
import { SCHEMA_VERSION, TABLE_NAMES } from '@clinicsync/protocol';
import { dataColumns, quoteIdent, sqliteType } from './local-columns.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

const ENGINE_TABLES = `
CREATE TABLE IF NOT EXISTS _sync_state (key TEXT PRIMARY KEY, value TEXT);
-- seq orders the outbox: oldest first, always.
CREATE TABLE IF NOT EXISTS _outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  op TEXT NOT NULL,
  base_version INTEGER NOT NULL,
  data TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS _outbox_record_idx ON _outbox (table_name, record_id, seq);
-- The last known server state of each record that has unsent edits: what a
-- refused edit falls back to, since pull never overwrites such a row.
CREATE TABLE IF NOT EXISTS _server_rows (
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  row TEXT,
  PRIMARY KEY (table_name, record_id)
);
CREATE TABLE IF NOT EXISTS _conflicts (
  id TEXT PRIMARY KEY,
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  op TEXT NOT NULL,
  organization_id TEXT,
  changes TEXT,
  local TEXT,
  server TEXT,
  fields TEXT NOT NULL,
  server_version INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS _dead_letters (
  id TEXT PRIMARY KEY,
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  op TEXT NOT NULL,
  organization_id TEXT,
  data TEXT,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- Records seen during a full resync; the rest are swept at its end.
CREATE TABLE IF NOT EXISTS _resync_seen (table_name TEXT NOT NULL, record_id TEXT NOT NULL, PRIMARY KEY (table_name, record_id));
`;

/**
 * Brings the local store to the client's schema version (default: this
 * build's): the columns a newer version added are added in place, empty. Rows
 * stay; fetching their new values again is `upgradeStoreSchema`'s job.
 */
export function migrateLocalStore(db: SqliteDatabase, schemaVersion = SCHEMA_VERSION): void {
  db.transaction(() => {
    db.exec(ENGINE_TABLES);
    for (const table of TABLE_NAMES) {
      const t = quoteIdent(table);
      db.exec(`CREATE TABLE IF NOT EXISTS ${t} (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT,
        updated_by TEXT,
        deleted INTEGER NOT NULL DEFAULT 0,
        _organization_id TEXT
      )`);
      const existing = new Set(db.all(`PRAGMA table_info(${t})`).map((c) => String(c.name)));
      for (const [name, column] of dataColumns(table, schemaVersion)) {
        if (!existing.has(name)) db.exec(`ALTER TABLE ${t} ADD COLUMN ${quoteIdent(name)} ${sqliteType(column)}`);
      }
    }
    createStoreIndexes(db, schemaVersion);
  });
}

/**
 * The secondary indexes of the synced tables (idempotent). Besides opening
 * the store, a first sync calls it once at its end: it loads into tables
 * without them and builds each index in one pass (see bulk-load.ts).
 */
export function createStoreIndexes(db: SqliteDatabase, schemaVersion = SCHEMA_VERSION): void {
  for (const table of TABLE_NAMES) {
    const t = quoteIdent(table);
    db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}_org_idx`)} ON ${t} (_organization_id)`);
    for (const [name, column] of dataColumns(table, schemaVersion)) {
      if (column.type === 'uuid') db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}_${name}_idx`)} ON ${t} (${quoteIdent(name)})`);
    }
  }
  // Patient search is a prefix range on lower(name) or the phone, per organization.
  db.exec(`
    CREATE INDEX IF NOT EXISTS patients_family_search_idx ON patients (organization_id, lower(family_name));
    CREATE INDEX IF NOT EXISTS patients_given_search_idx ON patients (organization_id, lower(given_name));
    CREATE INDEX IF NOT EXISTS patients_phone_search_idx ON patients (organization_id, phone);
  `);
}
