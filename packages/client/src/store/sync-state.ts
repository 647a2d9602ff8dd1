/**
 * `_sync_state`: the device id, the pull cursor, the schema version of the
 * store and the times of the last push and pull. The cursor is written only by
 * `applyPullPage` (in the page's transaction) and by the full-resync reset.
 */
import type { SqliteDatabase } from './sqlite-database.ts';

export type SyncStateKey =
  | 'device_id'
  | 'cursor'
  | 'schema_version'
  | 'last_push_at'
  | 'last_pull_at'
  | 'last_sync_at'
  | 'resync_in_progress'
  /** A first sync loading without secondary indexes (bulk-load.ts). */
  | 'bulk_load'
  /** The SQL of the indexes a bulk load dropped, to build them again (bulk-load.ts). */
  | 'bulk_load_indexes'
  /** The device's clinic number tag and next counter (clinic-number.ts). */
  | 'clinic_number_tag'
  | 'clinic_number_next';

export function readState(db: SqliteDatabase, key: SyncStateKey): string | null {
  const row = db.get('SELECT value FROM _sync_state WHERE key = ?', [key]);
  return row ? ((row.value as string | null) ?? null) : null;
}

export function writeState(db: SqliteDatabase, key: SyncStateKey, value: string | null): void {
  if (value === null) db.run('DELETE FROM _sync_state WHERE key = ?', [key]);
  else
    db.run(
      'INSERT INTO _sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
}

/**
 * Forgets the cursor so the next pull starts from the beginning, keeping every
 * unsent edit; rows the server no longer has are swept when it completes.
 */
export function startFullResync(db: SqliteDatabase): void {
  db.transaction(() => {
    writeState(db, 'cursor', null);
    writeState(db, 'resync_in_progress', '1');
    db.run('DELETE FROM _resync_seen');
    db.run('DELETE FROM _resync_orgs');
  });
}

/** The device id: the one given (stored for next time), else the stored one, else a new one. */
export function resolveDeviceId(db: SqliteDatabase, given: string | undefined, newId: () => string): string {
  const deviceId = given ?? readState(db, 'device_id') ?? newId();
  writeState(db, 'device_id', deviceId);
  return deviceId;
}
