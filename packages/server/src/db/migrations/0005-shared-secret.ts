/** Where instances sharing one PostgreSQL database keep their generated signing secret (see shared-secret.ts). */
import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.ts';

export async function up(db: Kysely<any>, _caps: Capabilities): Promise<void> {
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
