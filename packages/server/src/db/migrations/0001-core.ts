/** The synced tables of schema version 1 and the core server tables (users, devices, change log, audit, applied events). */
import { TABLE_NAMES } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.ts';
import { createSyncedTable } from '../synced-tables.ts';

export async function up(db: Kysely<any>, caps: Capabilities): Promise<void> {
  for (const table of TABLE_NAMES) await createSyncedTable(db, caps, table, 1);

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('device_name', 'text', (c) => c.notNull())
    .addColumn('sync_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_push_at', 'text')
    .addColumn('last_pull_at', 'text')
    .addColumn('pending', 'integer')
    .addColumn('oldest_pending_at', 'text')
    .addColumn('open_conflicts', 'integer')
    .addColumn('dead_letters', 'integer')
    .addColumn('schema_version', 'integer')
    .addColumn('app_version', 'text')
    .addPrimaryKeyConstraint('devices_pk', ['user_id', 'device_id'])
    .execute();

  await db.schema
    .createTable('org_seq')
    .addColumn('organization_id', 'text', (c) => c.primaryKey())
    .addColumn('last_seq', caps.bigintType, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('change_log')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('seq', caps.bigintType, (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull())
    .addColumn('data', caps.jsonType)
    .addPrimaryKeyConstraint('change_log_pk', ['organization_id', 'seq'])
    .addUniqueConstraint('change_log_record_uq', ['table_name', 'record_id'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('seq', caps.bigintType, (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('event_id', 'text')
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('before', caps.jsonType)
    .addColumn('after', caps.jsonType)
    .addPrimaryKeyConstraint('audit_log_pk', ['organization_id', 'seq'])
    .execute();
  await db.schema.createIndex('audit_log_record_idx').on('audit_log').columns(['organization_id', 'record_id', 'seq']).execute();
  await db.schema.createIndex('audit_log_user_idx').on('audit_log').columns(['organization_id', 'user_id', 'seq']).execute();
  await db.schema.createIndex('audit_log_device_idx').on('audit_log').columns(['organization_id', 'device_id', 'seq']).execute();

  await db.schema
    .createTable('applied_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('outcome', caps.jsonType, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
