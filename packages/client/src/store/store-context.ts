import type { Clock, Ids } from '../deps.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

/** What every store function needs: the database and the injectable world. */
export type StoreContext = {
  readonly db: SqliteDatabase;
  readonly clock: Clock;
  readonly ids: Ids;
};
