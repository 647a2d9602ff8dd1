/**
 * The schema version of a local store (PROTOCOL §5, docs/schema-migrations.md).
 * `migrateLocalStore` adds a newer version's columns; this decides what else an
 * upgrade needs: rows pulled at the older version lack the new columns' values
 * and the server will not send unchanged rows again, so the next pull starts
 * over (a full resync, which keeps every unsent edit). Queued events were
 * valid at the older version and stay valid at the newer one (a version only
 * adds optional columns), so they are sent as they are.
 */
import { readState, startFullResync, writeState } from './sync-state.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

/** The store was written by a newer app than this one: opening it would drop what the newer version knows. */
export class StoreTooNewError extends Error {
  override name = 'StoreTooNewError';
  readonly storeSchemaVersion: number;
  readonly appSchemaVersion: number;

  constructor(storeSchemaVersion: number, appSchemaVersion: number) {
    super(
      `The local data was written by a newer version of the app (schema ${storeSchemaVersion}, this app speaks ${appSchemaVersion}). Install the newer version.`,
    );
    this.storeSchemaVersion = storeSchemaVersion;
    this.appSchemaVersion = appSchemaVersion;
  }
}

/**
 * Records `schemaVersion` as the store's; after an upgrade from an older one
 * (with rows already pulled) the next pull is a full resync. Throws
 * StoreTooNewError for a store of a newer version, changing nothing.
 */
export function upgradeStoreSchema(db: SqliteDatabase, schemaVersion: number): void {
  const recorded = readState(db, 'schema_version');
  const stored = recorded === null ? schemaVersion : Number(recorded);
  if (stored > schemaVersion) throw new StoreTooNewError(stored, schemaVersion);
  db.transaction(() => {
    if (stored < schemaVersion && readState(db, 'cursor') !== null) startFullResync(db);
    writeState(db, 'schema_version', String(schemaVersion));
  });
}
