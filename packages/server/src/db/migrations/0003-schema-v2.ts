/**
 * Schema version 2 (docs/schema-migrations.md): appointments.kind. Existing
 * rows get null, which is what a version 1 client's INSERT stores too, and no
 * index: nothing looks rows up by it. Frozen: written out, not derived from
 * the registry.
 */
import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.ts';

export async function up(db: Kysely<any>, _caps: Capabilities): Promise<void> {
  await db.schema.alterTable('appointments').addColumn('kind', 'text').execute();
}
