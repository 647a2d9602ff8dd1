/**
 * Invitations (PROTOCOL §1b), the outbox report per organization (§6) and
 * the sign-in throttle (§1, docs/security.md). Each table is declared here in
 * full, not derived from anything that may change later: a migration must
 * build the same tables whenever it runs.
 */
import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.ts';

export async function up(db: Kysely<any>, _caps: Capabilities): Promise<void> {
  // One invitation of one email to one organization. `status` is pending,
  // accepted, declined or withdrawn; a pending one past `expires_at` is expired.
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('responded_at', 'text')
    .addColumn('responded_by', 'text')
    .execute();
  await db.schema
    .createIndex('invitations_org_idx')
    .on('invitations')
    .columns(['organization_id', 'status', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('invitations_email_idx')
    .on('invitations')
    .columns(['email', 'status', 'expires_at'])
    .execute();

  // The latest outbox report of one device, split by organization.
  await db.schema
    .createTable('device_outbox')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('pending', 'integer', (c) => c.notNull())
    .addColumn('oldest_pending_at', 'text')
    .addColumn('open_conflicts', 'integer')
    .addColumn('dead_letters', 'integer')
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_outbox_pk', ['user_id', 'device_id', 'organization_id'])
    .execute();
  await db.schema
    .createIndex('device_outbox_org_idx')
    .on('device_outbox')
    .columns(['organization_id', 'user_id'])
    .execute();

  // Failed sign-ins per bucket (account, account and address, account and
  // known device, address); `key` is a SHA-256 of the bucket, never an email or address.
  await db.schema
    .createTable('sign_in_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('next_allowed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_throttle_last_idx').on('sign_in_throttle').column('last_failure_at').execute();
}
