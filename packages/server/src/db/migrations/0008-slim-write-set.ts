/**
 * A slimmer write set per applied event (docs/decisions: "Slimmer write set").
 *
 * - The change log stops carrying a copy of the row (`data`): pull reads the
 *   record itself in its snapshot, so each event writes its JSON once less.
 * - Two audit indexes no hot query needs go (by device, by user): those
 *   filters are an admin's occasional look and walk the organization's audit
 *   in sequence order instead; by record stays (a record's history).
 * - On SQLite the tables keyed by text are rebuilt `WITHOUT ROWID`, so the
 *   primary key is the table and each row lives in one B-tree, not two.
 *   Only tables whose rows are small (well under a twentieth of a page, where
 *   SQLite advises it): the change log, remembered outcomes and the sequence
 *   counters. Synced rows carry notes and addresses and stay rowid tables.
 *
 * The rebuild copies each table's own `CREATE TABLE` text from the database
 * (written by earlier migrations), so this migration never reads the registry.
 */
import { sql, type Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.ts';

const WITHOUT_ROWID = ['change_log', 'applied_events', 'org_seq'] as const;

export async function up(db: Kysely<any>, caps: Capabilities): Promise<void> {
  await db.schema.dropIndex('audit_log_device_idx').execute();
  await db.schema.dropIndex('audit_log_user_idx').execute();
  await db.schema.alterTable('change_log').dropColumn('data').execute();
  if (caps.dialect !== 'sqlite') return;
  for (const table of WITHOUT_ROWID) await rebuildWithoutRowid(db, table);
}

async function rebuildWithoutRowid(db: Kysely<any>, table: string): Promise<void> {
  const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master where tbl_name = ${table} and sql is not null order by type desc`.execute(
    db,
  );
  const create = rows.find((r) => r.type === 'table');
  if (!create?.sql) throw new Error(`no table ${table}`);
  const indexes = rows.filter((r) => r.type === 'index').map((r) => r.sql!);
  const staging = `${table}_rebuild`;
  const ddl = `${create.sql.replace(/^CREATE TABLE "?[a-z_]+"?/i, `CREATE TABLE "${staging}"`)} WITHOUT ROWID`;
  await sql.raw(ddl).execute(db);
  await sql.raw(`insert into "${staging}" select * from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${staging}" rename to "${table}"`).execute(db);
  for (const index of indexes) await sql.raw(index).execute(db);
}
