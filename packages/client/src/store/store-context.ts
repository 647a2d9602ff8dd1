import { SCHEMA_VERSION } from '@clinicsync/protocol';
import type { Clock, Ids } from '../deps.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

/** What every store function needs: the database and the injectable world. */
export type StoreContext = {
  readonly db: SqliteDatabase;
  readonly clock: Clock;
  readonly ids: Ids;
  /** The schema version this client speaks (PROTOCOL §5); default SCHEMA_VERSION. Only tests run older ones. */
  readonly schemaVersion?: number;
};

/** The schema version of the store's columns, of what it validates and of what it asks the server for. */
export function storeSchemaVersion(ctx: Pick<StoreContext, 'schemaVersion'>): number {
  return ctx.schemaVersion ?? SCHEMA_VERSION;
}
