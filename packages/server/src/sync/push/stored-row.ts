/**
 * Reading a synced row the way the push steps need it, and the shapes it is
 * shown in: the conflict's `serverRecord`, the change log's `data` and the
 * audit trail's before/after. Table names come from the registry only.
 */
import {
  rowForSchemaVersion,
  tableSpec,
  versionSchema,
  type ColumnSpec,
  type TableName,
  type TableSpec,
} from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { Capabilities } from '../../db/capabilities.ts';
import type { ServerDb } from '../../db/schema.ts';
import type { FieldName, StoredRow } from './event-types.ts';

/** Loads a row by id (tombstones included); undefined when there is none. */
export async function loadStoredRow(
  db: Kysely<ServerDb>,
  table: TableName,
  id: string,
): Promise<StoredRow | undefined> {
  const row = await db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toStoredRow(tableSpec(table), row) : undefined;
}

/**
 * Loads the rows of `table` with the given ids (tombstones included), keyed by id; ids without a row are absent.
 * With `caps` the ids go as the database takes a long list best (`textIn`); without, as a plain IN list.
 */
export async function loadStoredRows(
  db: Kysely<ServerDb>,
  table: TableName,
  ids: readonly string[],
  caps?: Pick<Capabilities, 'textIn'>,
): Promise<Map<string, StoredRow>> {
  const found = new Map<string, StoredRow>();
  if (ids.length === 0) return found;
  const spec = tableSpec(table);
  // One query per chunk instead of one per id; chunks stay far below either dialect's parameter limit.
  for (let start = 0; start < ids.length; start += ID_CHUNK) {
    const chunk = ids.slice(start, start + ID_CHUNK);
    const rows = await db
      .selectFrom(table)
      .selectAll()
      .where(caps ? caps.textIn('id', chunk) : (eb) => eb('id', 'in', chunk))
      .execute();
    for (const row of rows) found.set(String(row.id), toStoredRow(spec, row));
  }
  return found;
}

const ID_CHUNK = 1000;

/** Splits a database row into system columns and the spec's registry columns. */
export function toStoredRow(spec: TableSpec, row: Readonly<Record<string, unknown>>): StoredRow {
  const values: Record<FieldName, unknown> = {};
  for (const [name, column] of Object.entries(spec.columns)) values[name] = storedValue(column, row[name]);
  return {
    id: String(row.id),
    version: versionSchema.parse(Number(row.version)),
    updatedAt: String(row.updated_at),
    updatedBy: String(row.updated_by),
    deleted: Number(row.deleted) === 1,
    fieldVersions: parseFieldVersions(row.field_versions),
    values,
  };
}

/** A column's value as read from SQL: flags are 0/1 there and true/false everywhere else; a row older than the column holds its default. */
export function storedValue(column: ColumnSpec, value: unknown): unknown {
  if (column.type !== 'boolean') return value ?? null;
  return value === null || value === undefined ? column.default : Number(value) === 1;
}

function parseFieldVersions(text: unknown): Record<FieldName, number> {
  try {
    const parsed: unknown = JSON.parse(String(text ?? '{}'));
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
    );
  } catch {
    // A damaged map only makes merges more cautious: every field counts as changed at version 1.
    return {};
  }
}

/**
 * The row as a conflict shows it to a client of `schemaVersion`: the registry
 * columns it knows (PROTOCOL §5, newer ones left out) plus the system columns.
 */
export function toServerRecord(row: StoredRow, table: TableName, schemaVersion: number): Record<string, unknown> {
  const record = {
    id: row.id,
    ...row.values,
    version: row.version,
    updated_at: row.updatedAt,
    updated_by: row.updatedBy,
    deleted: row.deleted,
  };
  return rowForSchemaVersion(table, record, schemaVersion);
}

/** Registry values as SQL stores them: flags as 0/1 (neither driver binds a boolean to an integer column). */
export function toSqlValues(spec: TableSpec, values: Readonly<Record<FieldName, unknown>>): Record<FieldName, unknown> {
  const out: Record<FieldName, unknown> = { ...values };
  for (const [name, column] of Object.entries(spec.columns)) {
    if (column.type === 'boolean' && typeof out[name] === 'boolean') out[name] = out[name] ? 1 : 0;
  }
  return out;
}

/** The value an INSERT stores for a column it omits: a flag's default, else null. */
export function omittedValue(spec: TableSpec, column: FieldName): unknown {
  const c = spec.columns[column];
  return c?.type === 'boolean' ? c.default : null;
}
