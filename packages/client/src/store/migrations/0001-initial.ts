/**
 * The first local store: the engine's own tables and the synced tables as
 * schema version 1 has them, with their indexes.
 *
 * Frozen: written out once, never derived from the table registry, so a
 * registry edit cannot change what an existing device's store was built
 * with. `IF NOT EXISTS` everywhere because stores created before stores were
 * numbered (`user_version` 0) already hold these tables; for them this
 * migration only records the number.
 */
import type { SqliteDatabase } from '../sqlite-database.ts';

/** The version-1 columns of each synced table with their SQLite types; `ref` columns are indexed uuid references. */
const SYNCED_TABLES_V1: Readonly<
  Record<string, ReadonlyArray<readonly [string, 'TEXT' | 'INTEGER' | 'REAL', 'ref'?]>>
> = {
  organizations: [['name', 'TEXT']],
  teams: [
    ['organization_id', 'TEXT', 'ref'],
    ['name', 'TEXT'],
  ],
  members: [
    ['organization_id', 'TEXT', 'ref'],
    ['user_id', 'TEXT', 'ref'],
    ['role', 'TEXT'],
    ['team_id', 'TEXT', 'ref'],
  ],
  patients: [
    ['organization_id', 'TEXT', 'ref'],
    ['given_name', 'TEXT'],
    ['family_name', 'TEXT'],
    ['birth_date', 'TEXT'],
    ['sex', 'TEXT'],
    ['phone', 'TEXT'],
    ['address', 'TEXT'],
    ['notes', 'TEXT'],
  ],
  appointments: [
    ['team_id', 'TEXT', 'ref'],
    ['patient_id', 'TEXT', 'ref'],
    ['starts_at', 'TEXT'],
    ['duration_min', 'INTEGER'],
    ['status', 'TEXT'],
    ['reason', 'TEXT'],
  ],
  vitals: [
    ['patient_id', 'TEXT', 'ref'],
    ['kind', 'TEXT'],
    ['value', 'REAL'],
    ['unit', 'TEXT'],
    ['recorded_at', 'TEXT'],
  ],
  medications: [
    ['patient_id', 'TEXT', 'ref'],
    ['code', 'TEXT'],
    ['dose', 'TEXT'],
    ['route', 'TEXT'],
    ['frequency', 'TEXT'],
    ['status', 'TEXT'],
  ],
};

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

export function up(db: SqliteDatabase): void {
  db.exec(ENGINE_TABLES);
  for (const [table, columns] of Object.entries(SYNCED_TABLES_V1)) {
    const existing = new Set(db.all(`PRAGMA table_info("${table}")`).map((c) => String(c.name)));
    if (existing.size === 0) {
      // The hidden _organization_id lets the rows of a revoked organization be purged.
      db.exec(`CREATE TABLE "${table}" (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT,
        updated_by TEXT,
        deleted INTEGER NOT NULL DEFAULT 0,
        _organization_id TEXT,
        ${columns.map(([name, type]) => `"${name}" ${type}`).join(',\n        ')}
      )`);
    }
    db.exec(`CREATE INDEX IF NOT EXISTS "${table}_org_idx" ON "${table}" (_organization_id)`);
    for (const [name, , ref] of columns) {
      if (ref) db.exec(`CREATE INDEX IF NOT EXISTS "${table}_${name}_idx" ON "${table}" ("${name}")`);
    }
  }
  // Patient search is a prefix range on lower(name) or the phone, per organization.
  db.exec(`
    CREATE INDEX IF NOT EXISTS patients_family_search_idx ON patients (organization_id, lower(family_name));
    CREATE INDEX IF NOT EXISTS patients_given_search_idx ON patients (organization_id, lower(given_name));
    CREATE INDEX IF NOT EXISTS patients_phone_search_idx ON patients (organization_id, phone);
  `);
}
