/**
 * `_drafts`: half-filled forms kept as the person types (docs/conflict-resolution.md
 * "Drafts"), in the store because they hold patient data and the store is
 * where patient data is kept (encrypted at rest on the desktop). Frozen.
 */
import type { SqliteDatabase } from '../sqlite-database.ts';

export function up(db: SqliteDatabase): void {
  db.exec('CREATE TABLE _drafts (key TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL)');
}
