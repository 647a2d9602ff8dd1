/**
 * The columns of the local copy of each synced table, derived from the table
 * registry (nothing re-typed here), and the conversion between SQLite values
 * and the `Row` objects the engine hands out.
 */
import { columnsAtVersion, SCHEMA_VERSION, type ColumnSpec, type TableName } from '@clinicsync/protocol';
import type { SqlRow, SqlValue } from './sqlite-database.ts';

/** A synced row as the app sees it: the four server-owned columns, the tombstone flag and the registry columns. */
export type Row = {
  readonly id: string;
  /** The server version this row is based on; 0 = never acknowledged by the server. */
  readonly version: number;
  readonly updated_at: string | null;
  /** The user who last changed it on the server; null until the server has acknowledged the row. */
  readonly updated_by: string | null;
  readonly deleted: boolean;
  readonly [column: string]: unknown;
};

/** Registry columns of `table` known to a client of `schemaVersion` (default: this build's). */
export function dataColumns(table: TableName, schemaVersion = SCHEMA_VERSION): readonly [string, ColumnSpec][] {
  return columnsAtVersion(table, schemaVersion);
}

/** The SQLite type affinity of a registry column. */
export function sqliteType(column: ColumnSpec): 'TEXT' | 'INTEGER' | 'REAL' {
  if (column.type === 'integer' || column.type === 'boolean') return 'INTEGER';
  if (column.type === 'number') return 'REAL';
  return 'TEXT';
}

/** Quotes an identifier taken from the registry (never from user input). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** True when `name` is a column a caller may filter or sort on. */
export function isQueryableColumn(table: TableName, name: string): boolean {
  return ['id', 'version', 'updated_at', 'updated_by'].includes(name) || dataColumns(table).some(([c]) => c === name);
}

/**
 * Turns a stored row into a `Row` (hidden `_` columns stay inside the store).
 * It carries the registry columns the local table has, which are those of the
 * store's schema version (a store of an older version lacks the newer ones).
 */
export function decodeRow(table: TableName, stored: SqlRow): Row {
  const row: Record<string, unknown> = {
    id: stored.id,
    version: Number(stored.version),
    updated_at: stored.updated_at ?? null,
    updated_by: stored.updated_by ?? null,
    deleted: Number(stored.deleted) === 1,
  };
  for (const [name, column] of dataColumns(table)) {
    if (!Object.hasOwn(stored, name)) continue;
    // Flags are 0/1 in SQLite; a row written before the column existed holds its default.
    row[name] =
      column.type === 'boolean'
        ? stored[name] === null || stored[name] === undefined
          ? column.default
          : Number(stored[name]) === 1
        : (stored[name] ?? null);
  }
  return row as Row;
}

/** The value of a registry column as SQLite stores it. */
export function encodeValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  // Validation has already refused anything else; keep it readable rather than lose it.
  return JSON.stringify(value);
}

/**
 * Keeps only what a `Row` may hold from a record coming from the server (pull
 * data, a conflict's server record): the registry columns of the client's
 * `schemaVersion` (missing ones are null) and the system columns.
 */
export function rowFromServer(
  table: TableName,
  recordId: string,
  version: number,
  record: Record<string, unknown> | null,
  deleted: boolean,
  schemaVersion = SCHEMA_VERSION,
): Row {
  return serverRowBuilder(table, schemaVersion)(recordId, version, record, deleted);
}

/** `rowFromServer` for many rows of one table: the column list is worked out once, not per row. */
export function serverRowBuilder(
  table: TableName,
  schemaVersion = SCHEMA_VERSION,
): (recordId: string, version: number, record: Readonly<Record<string, unknown>> | null, deleted: boolean) => Row {
  const columns = dataColumns(table, schemaVersion).map(([name]) => name);
  return (recordId, version, record, deleted) => {
    const row: Record<string, unknown> = {
      id: recordId,
      version,
      updated_at: typeof record?.updated_at === 'string' ? record.updated_at : null,
      updated_by: typeof record?.updated_by === 'string' ? record.updated_by : null,
      deleted: deleted || record?.deleted === true || record?.deleted === 1,
    };
    for (const name of columns) row[name] = record?.[name] ?? null;
    return row as Row;
  };
}
