/**
 * The synced tables of schema version 1 and the core server tables (users,
 * devices, change log, audit, applied events).
 *
 * Frozen: this file owns the schema it creates and reads nothing from the
 * table registry, so a registry edit never changes what it builds (see
 * docs/schema-migrations.md). The synced columns below are the registry of
 * schema version 1, written out once.
 */
import type { ColumnDataType, Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.ts';

/** SQL kinds of the version-1 columns: `ref` is a uuid reference (text, indexed), `float` a number. */
type ColumnKind = 'text' | 'ref' | 'integer' | 'float';

const SYNCED_TABLES_V1: Readonly<Record<string, ReadonlyArray<readonly [string, ColumnKind]>>> = {
  organizations: [['name', 'text']],
  teams: [
    ['organization_id', 'ref'],
    ['name', 'text'],
  ],
  members: [
    ['organization_id', 'ref'],
    ['user_id', 'ref'],
    ['role', 'text'],
    ['team_id', 'ref'],
  ],
  patients: [
    ['organization_id', 'ref'],
    ['given_name', 'text'],
    ['family_name', 'text'],
    ['birth_date', 'text'],
    ['sex', 'text'],
    ['phone', 'text'],
    ['address', 'text'],
    ['notes', 'text'],
  ],
  appointments: [
    ['team_id', 'ref'],
    ['patient_id', 'ref'],
    ['starts_at', 'text'],
    ['duration_min', 'integer'],
    ['status', 'text'],
    ['reason', 'text'],
  ],
  vitals: [
    ['patient_id', 'ref'],
    ['kind', 'text'],
    ['value', 'float'],
    ['unit', 'text'],
    ['recorded_at', 'text'],
  ],
  medications: [
    ['patient_id', 'ref'],
    ['code', 'text'],
    ['dose', 'text'],
    ['route', 'text'],
    ['frequency', 'text'],
    ['status', 'text'],
  ],
};

function sqlType(kind: ColumnKind, caps: Capabilities): ColumnDataType {
  if (kind === 'integer') return 'integer';
  if (kind === 'float') return caps.floatType;
  return 'text';
}

async function createSyncedTable(
  db: Kysely<any>,
  caps: Capabilities,
  table: string,
  columns: ReadonlyArray<readonly [string, ColumnKind]>,
): Promise<void> {
  let builder = db.schema
    .createTable(table)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('field_versions', 'text', (c) => c.notNull().defaultTo('{}'));
  // NOT NULL is enforced by validation, not SQL: a tombstone keeps its last
  // values and an older client's INSERT may lack a newer column.
  for (const [name, kind] of columns) builder = builder.addColumn(name, sqlType(kind, caps));
  await builder.execute();
  // Every scope lookup and every listing filters on these references.
  for (const [name, kind] of columns) {
    if (kind === 'ref') await db.schema.createIndex(`${table}_${name}_idx`).on(table).column(name).execute();
  }
}

export async function up(db: Kysely<any>, caps: Capabilities): Promise<void> {
  for (const [table, columns] of Object.entries(SYNCED_TABLES_V1)) await createSyncedTable(db, caps, table, columns);

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
  await db.schema
    .createIndex('audit_log_record_idx')
    .on('audit_log')
    .columns(['organization_id', 'record_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('audit_log_user_idx')
    .on('audit_log')
    .columns(['organization_id', 'user_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('audit_log_device_idx')
    .on('audit_log')
    .columns(['organization_id', 'device_id', 'seq'])
    .execute();

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
