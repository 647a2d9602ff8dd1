import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_VERSION } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { openBetterSqlite3 } from './better-sqlite3-database.ts';
import {
  migrateLocalStore,
  runStoreMigrations,
  STORE_MIGRATIONS,
  StoreFormatTooNewError,
  storeFormatVersion,
} from './local-schema.ts';
import type { SqliteDatabase } from './sqlite-database.ts';
import { StoreTooNewError } from './upgrade-store-schema.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Every table and index with its columns, as SQLite sees them (not its DDL text: an old store was built by ALTERs). */
function shape(db: SqliteDatabase): Record<string, unknown> {
  const objects = db.all(
    "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
  );
  return Object.fromEntries(
    objects.map((o) => [
      `${o.type} ${o.name}`,
      o.type === 'table'
        ? db
            .all(`PRAGMA table_info("${String(o.name)}")`)
            .map((c) => `${String(c.name)} ${String(c.type)}${c.notnull ? ' not null' : ''}${c.pk ? ' pk' : ''}`)
            .sort()
        : db
            .all(`PRAGMA index_xinfo("${String(o.name)}")`)
            .filter((c) => c.key)
            .map((c) => String(c.name ?? 'expr')),
    ]),
  );
}

/**
 * A store as the app built it before store migrations were numbered: every
 * table created with its system columns, each data column added by ALTER.
 * Kept here as the fixture of what such devices hold.
 */
function unnumberedStore(): SqliteDatabase {
  const fresh = openBetterSqlite3(':memory:');
  migrateLocalStore(fresh);
  const db = openBetterSqlite3(':memory:');
  for (const row of fresh.all(
    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND type IN ('table', 'index') ORDER BY type DESC",
  ))
    db.exec(String(row.sql));
  fresh.close();
  // What store migrations after 0001 added was never in such a store.
  db.exec(`
    ALTER TABLE _outbox DROP COLUMN sent_at; ALTER TABLE _outbox DROP COLUMN attempts; ALTER TABLE _outbox DROP COLUMN held_code;
    ALTER TABLE _outbox DROP COLUMN held_message; ALTER TABLE _outbox DROP COLUMN retry_at;
    ALTER TABLE _conflicts DROP COLUMN outbox_seq; ALTER TABLE _conflicts DROP COLUMN conflicting; ALTER TABLE _conflicts DROP COLUMN resolution;
    ALTER TABLE _conflicts DROP COLUMN resolved_event_id; ALTER TABLE _conflicts DROP COLUMN resolved_at;
    ALTER TABLE _dead_letters DROP COLUMN record; DROP TABLE _resync_orgs;
    DROP TABLE _patient_search; DROP TABLE _patient_search_terms; DROP TABLE _patient_terms_stale; DROP TABLE _drafts;
  `);
  return db;
}

function freshShape(): Record<string, unknown> {
  const db = openBetterSqlite3(':memory:');
  migrateLocalStore(db);
  const result = shape(db);
  db.close();
  return result;
}

describe('local store migrations', () => {
  it('number the store with PRAGMA user_version and run each once', () => {
    const db = openBetterSqlite3(':memory:');
    expect(storeFormatVersion(db)).toBe(0);
    migrateLocalStore(db);
    expect(storeFormatVersion(db)).toBe(STORE_MIGRATIONS.length);
    const before = shape(db);
    migrateLocalStore(db);
    expect(shape(db)).toEqual(before);
    db.close();
  });

  it("create the engine's own tables", () => {
    const db = openBetterSqlite3(':memory:');
    migrateLocalStore(db, 1);
    const tables = db.all("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => String(r.name));
    expect(tables).toEqual(
      expect.arrayContaining(['_sync_state', '_outbox', '_server_rows', '_conflicts', '_dead_letters', '_resync_seen']),
    );
    db.close();
  });

  it('take over a store built before they were numbered, changing nothing in it but what later migrations add', () => {
    const db = unnumberedStore();
    db.run("INSERT INTO _sync_state (key, value) VALUES ('cursor', 'c1')");
    expect(storeFormatVersion(db)).toBe(0);
    migrateLocalStore(db);
    expect(storeFormatVersion(db)).toBe(STORE_MIGRATIONS.length);
    expect(shape(db)).toEqual(freshShape());
    expect(db.get("SELECT value FROM _sync_state WHERE key = 'cursor'")?.value).toBe('c1');
    db.close();
  });

  it('refuse a store with more migrations than this app knows, before touching it', () => {
    const db = openBetterSqlite3(':memory:');
    migrateLocalStore(db);
    db.exec(`PRAGMA user_version = ${STORE_MIGRATIONS.length + 1}`);
    const before = shape(db);
    expect(() => runStoreMigrations(db)).toThrow(StoreFormatTooNewError);
    expect(() => migrateLocalStore(db)).toThrow(StoreTooNewError);
    expect(shape(db)).toEqual(before);
    db.close();
  });

  it('roll a failing migration back whole, number included', () => {
    const db = openBetterSqlite3(':memory:');
    db.exec('CREATE VIEW _outbox AS SELECT 1 AS seq');
    expect(() => runStoreMigrations(db)).toThrow();
    expect(storeFormatVersion(db)).toBe(0);
    expect(db.all("SELECT name FROM sqlite_master WHERE type = 'table'")).toEqual([]);
    db.close();
  });

  it(`give an engine of schema ${SCHEMA_VERSION} the same store whether it is new or was opened at every older version first`, () => {
    const fresh = openBetterSqlite3(':memory:');
    migrateLocalStore(fresh, SCHEMA_VERSION);
    const stepped = openBetterSqlite3(':memory:');
    for (let version = 1; version <= SCHEMA_VERSION; version++) migrateLocalStore(stepped, version);
    expect(shape(stepped)).toEqual(shape(fresh));
    fresh.close();
    stepped.close();
  });

  it('are frozen: no store migration reads the table registry', () => {
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
    expect(files.length).toBe(STORE_MIGRATIONS.length);
    for (const file of files) {
      const text = readFileSync(`${MIGRATIONS_DIR}${file}`, 'utf8');
      expect(text, file).not.toMatch(/@clinicsync\/protocol|local-columns/);
    }
  });
});
