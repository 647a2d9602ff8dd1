/** Indexes that let housekeeping delete expired rows without scanning (see maintenance/prune-expired.ts). */
import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.ts';

export async function up(db: Kysely<any>, _caps: Capabilities): Promise<void> {
  await db.schema.createIndex('applied_events_created_idx').on('applied_events').column('created_at').execute();
  await db.schema.createIndex('refresh_tokens_expires_idx').on('refresh_tokens').column('expires_at').execute();
  await db.schema.createIndex('rate_limits_window_idx').on('rate_limits').column('window_started_at').execute();
}
