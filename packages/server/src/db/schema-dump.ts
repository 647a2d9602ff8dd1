/**
 * A plain-text description of a database's schema (tables, columns, keys,
 * indexes), stable across runs, for the golden files in
 * `migrations/golden/`: what each migration leaves is checked line by line
 * on SQLite and PostgreSQL. Kysely's own bookkeeping tables are left out.
 */
import { sql, type Kysely } from 'kysely';
import type { Capabilities } from './capabilities.ts';

const BOOKKEEPING = /^kysely_/;

export async function dumpSchema(db: Kysely<any>, caps: Capabilities): Promise<string> {
  const lines = caps.dialect === 'sqlite' ? await dumpSqlite(db) : await dumpPostgres(db);
  return `${lines.join('\n')}\n`;
}

async function dumpSqlite(db: Kysely<any>): Promise<string[]> {
  // SQLite keeps each object's DDL as last written (ALTER TABLE edits it in place).
  const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master where name not like 'sqlite_%' order by type desc, name`.execute(db);
  return rows.filter((r) => !BOOKKEEPING.test(r.name)).map((r) => `${r.type} ${r.name}: ${r.sql ?? '(implicit)'}`);
}

async function dumpPostgres(db: Kysely<any>): Promise<string[]> {
  const lines: string[] = [];
  const columns = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
  }>`
    select table_name, column_name, data_type, is_nullable, column_default
    from information_schema.columns where table_schema = current_schema()
    order by table_name, ordinal_position`.execute(db);
  let table = '';
  for (const c of columns.rows) {
    if (BOOKKEEPING.test(c.table_name)) continue;
    if (c.table_name !== table) lines.push(`table ${(table = c.table_name)}`);
    const nullable = c.is_nullable === 'YES' ? '' : ' not null';
    const fallback = c.column_default === null ? '' : ` default ${c.column_default}`;
    lines.push(`  ${c.column_name} ${c.data_type}${nullable}${fallback}`);
  }
  const constraints = await sql<{ table_name: string; name: string; definition: string }>`
    select rel.relname as table_name, con.conname as name, pg_get_constraintdef(con.oid) as definition
    from pg_constraint con join pg_class rel on rel.oid = con.conrelid
    join pg_namespace ns on ns.oid = rel.relnamespace
    where ns.nspname = current_schema() order by rel.relname, con.conname`.execute(db);
  for (const c of constraints.rows) {
    if (!BOOKKEEPING.test(c.table_name)) lines.push(`constraint ${c.table_name}.${c.name}: ${c.definition}`);
  }
  const indexes = await sql<{ tablename: string; indexname: string; indexdef: string }>`
    select tablename, indexname, indexdef from pg_indexes where schemaname = current_schema() order by tablename, indexname`.execute(
    db,
  );
  for (const i of indexes.rows) {
    if (!BOOKKEEPING.test(i.tablename))
      lines.push(`index ${i.indexname}: ${i.indexdef.replace(/ ON [^ ]+\./, ' ON ')}`);
  }
  return lines;
}
