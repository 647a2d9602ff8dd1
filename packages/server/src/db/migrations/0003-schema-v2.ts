/**
 * Schema version 2 (docs/schema-migrations.md): adds the registry columns with
 * `since: 2` (appointments.kind) to the synced tables. Existing rows get null,
 * which is what a version 1 client's INSERT stores too, and no index: nothing
 * looks rows up by these columns.
 */
import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.ts';
import { addSyncedColumns } from '../synced-tables.ts';

export async function up(db: Kysely<any>, caps: Capabilities): Promise<void> {
  await addSyncedColumns(db, caps, 2);
}
