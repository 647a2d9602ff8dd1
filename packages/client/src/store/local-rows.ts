/**
 * Reading and writing whole rows of the local synced tables. Callers decide
 * when (inside their own transaction); this file only knows the SQL.
 */
import { scopeLink, type TableName } from '@clinicsync/protocol';
import { dataColumns, decodeRow, encodeValue, quoteIdent, type Row } from './local-columns.ts';
import type { SqliteDatabase, SqlValue } from './sqlite-database.ts';

export type StoredRow = { readonly row: Row; readonly organizationId: string | null };

/** The stored row (tombstones included), or undefined. */
export function readRow(db: SqliteDatabase, table: TableName, id: string): StoredRow | undefined {
  const stored = db.get(`SELECT * FROM ${quoteIdent(table)} WHERE id = ?`, [id]);
  if (!stored) return undefined;
  return { row: decodeRow(table, stored), organizationId: (stored._organization_id as string | null) ?? null };
}

/**
 * Inserts or replaces a whole row; a null `organizationId` keeps the stored one.
 * The row's own registry columns are written: rows are built with exactly the
 * columns of the store's schema version, so an older store is never asked for
 * a column it does not have.
 */
export function writeRow(db: SqliteDatabase, table: TableName, row: Row, organizationId: string | null): void {
  const data = dataColumns(table)
    .map(([c]) => c)
    .filter((c) => Object.hasOwn(row, c));
  db.run(upsertSql(table, data, false), rowValues(row, organizationId, data));
}

/**
 * Writes whole server rows of one table, as `serverRowBuilder` makes them for
 * `schemaVersion` (exactly that version's registry columns), each unless the
 * store already holds the row at a newer version: then it is left alone and 0
 * is returned. For pull pages: the statement is built once per writer instead
 * of once per row, and the version check is part of the upsert instead of a
 * read before it. A null `organizationId` keeps the stored one.
 */
export function createServerRowWriter(
  db: SqliteDatabase,
  table: TableName,
  schemaVersion: number,
): (row: Row, organizationId: string | null) => number {
  const data = dataColumns(table, schemaVersion).map(([c]) => c);
  const statement = db.prepare(upsertSql(table, data, true));
  return (row, organizationId) => statement.run(...rowValues(row, organizationId, data)).changes;
}

const SYSTEM_COLUMNS = ['id', 'version', 'updated_at', 'updated_by', 'deleted', '_organization_id'] as const;

/** The upsert of a row with `data` columns; a null `_organization_id` keeps the stored one; `newerOnly` never rewinds. */
function upsertSql(table: TableName, data: readonly string[], newerOnly: boolean): string {
  const t = quoteIdent(table);
  const columns = [...SYSTEM_COLUMNS, ...data];
  const updates = columns
    .filter((c) => c !== 'id')
    .map((c) =>
      c === '_organization_id'
        ? `${c} = coalesce(excluded.${c}, ${c})`
        : `${quoteIdent(c)} = excluded.${quoteIdent(c)}`,
    );
  return `INSERT INTO ${t} (${columns.map(quoteIdent).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
     ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}${newerOnly ? ` WHERE excluded.version >= ${t}.version` : ''}`;
}

/** The values of `upsertSql`'s columns, in its order. */
function rowValues(row: Row, organizationId: string | null, data: readonly string[]): SqlValue[] {
  const values: SqlValue[] = [row.id, row.version, row.updated_at, row.updated_by, row.deleted ? 1 : 0, organizationId];
  for (const c of data) values.push(encodeValue(row[c]));
  return values;
}

export function removeRow(db: SqliteDatabase, table: TableName, id: string): void {
  db.run(`DELETE FROM ${quoteIdent(table)} WHERE id = ?`, [id]);
}

/**
 * The organization a new row belongs to, from the local store: the row itself
 * for organizations, its `organization_id`, or its parent's organization.
 * Null when the parent is not known locally (the server decides then).
 */
export function organizationOf(
  db: SqliteDatabase,
  table: TableName,
  id: string,
  data: Readonly<Record<string, unknown>>,
): string | null {
  const link = scopeLink(table);
  if (!link) return id;
  const parentId = data[link.column];
  if (typeof parentId !== 'string') return null;
  if (link.parent === 'organizations') return parentId;
  // Every local row keeps its organization, so one step up the chain is enough.
  const parent = db.get(`SELECT _organization_id FROM ${quoteIdent(link.parent)} WHERE id = ?`, [parentId]);
  return (parent?._organization_id as string | null | undefined) ?? null;
}
