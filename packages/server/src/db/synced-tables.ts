/**
 * SQL for the synced tables, generated from the table registry so no column
 * is declared twice. `createSyncedTable` builds a table as of one schema
 * version; later versions add their columns in their own migration with
 * `addSyncedColumns`.
 */
import { columnSince, TABLES, type ColumnSpec, type TableName } from '@clinicsync/protocol';
import type { ColumnDataType, Kysely } from 'kysely';
import type { Capabilities } from './capabilities.ts';

export function sqlType(column: ColumnSpec, caps: Capabilities): ColumnDataType {
  switch (column.type) {
    case 'integer':
      return 'integer';
    case 'number':
      return caps.floatType;
    default:
      // uuid, text, enum, date and timestamp are text on both dialects.
      return 'text';
  }
}

/** Columns of `table` present at `schemaVersion`. */
export function columnsAt(table: TableName, schemaVersion: number): [string, ColumnSpec][] {
  return Object.entries(TABLES[table].columns).filter(([, c]) => columnSince(c) <= schemaVersion);
}

export async function createSyncedTable(db: Kysely<any>, caps: Capabilities, table: TableName, schemaVersion: number): Promise<void> {
  let builder = db.schema
    .createTable(table)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('field_versions', 'text', (c) => c.notNull().defaultTo('{}'));
  for (const [name, column] of columnsAt(table, schemaVersion)) {
    // NOT NULL is enforced by validation, not SQL: a tombstone keeps its
    // last values and an older client's INSERT may lack a newer column.
    builder = builder.addColumn(name, sqlType(column, caps));
  }
  await builder.execute();
  // Every scope lookup and every listing filters on these references.
  for (const [name, column] of columnsAt(table, schemaVersion)) {
    if (column.type === 'uuid') {
      await db.schema.createIndex(`${table}_${name}_idx`).on(table).column(name).execute();
    }
  }
}

/** Adds the columns introduced exactly at `schemaVersion` to every synced table. */
export async function addSyncedColumns(db: Kysely<any>, caps: Capabilities, schemaVersion: number): Promise<void> {
  for (const table of Object.keys(TABLES) as TableName[]) {
    for (const [name, column] of Object.entries(TABLES[table].columns)) {
      if (columnSince(column) !== schemaVersion) continue;
      await db.schema.alterTable(table).addColumn(name, sqlType(column, caps)).execute();
    }
  }
}
