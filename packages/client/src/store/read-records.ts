/**
 * Reads of the local store for the app: one row, filtered lists and the
 * patient search. Deleted rows (tombstones) are never returned. Column names
 * in filters and sorting must be registry columns; values are always bound.
 */
import { isTableName, type TableName } from '@clinicsync/protocol';
import { LocalValidationError } from '../errors.ts';
import { decodeRow, encodeValue, isQueryableColumn, quoteIdent, type Row } from './local-columns.ts';
import type { SqlValue, SqliteDatabase } from './sqlite-database.ts';

export type ListFilter = {
  readonly where?: Readonly<Record<string, unknown>>;
  readonly orderBy?: string;
  readonly desc?: boolean;
  readonly limit?: number;
  readonly offset?: number;
};

function checkColumn(table: TableName, column: string, path: string): void {
  if (!isQueryableColumn(table, column))
    throw new LocalValidationError(`Unknown column ${column}.`, [{ path, code: 'unknown_field' }]);
}

function checkTable(table: string): asserts table is TableName {
  if (!isTableName(table)) throw new LocalValidationError(`Unknown table.`, [{ path: 'table', code: 'unknown_table' }]);
}

/** The live row, or undefined when missing or deleted. */
export function getRecord(db: SqliteDatabase, table: TableName, id: string): Row | undefined {
  checkTable(table);
  const stored = db.get(`SELECT * FROM ${quoteIdent(table)} WHERE id = ? AND deleted = 0`, [id]);
  return stored ? decodeRow(table, stored) : undefined;
}

/** Live rows matching every `where` equality (null matches empty), sorted by `orderBy` (default id). */
export function listRecords(db: SqliteDatabase, table: TableName, filter: ListFilter = {}): Row[] {
  checkTable(table);
  const conditions = ['deleted = 0'];
  const params: SqlValue[] = [];
  for (const [column, value] of Object.entries(filter.where ?? {})) {
    checkColumn(table, column, `where.${column}`);
    if (value === null || value === undefined) conditions.push(`${quoteIdent(column)} IS NULL`);
    else {
      conditions.push(`${quoteIdent(column)} = ?`);
      params.push(encodeValue(value));
    }
  }
  const orderBy = filter.orderBy ?? 'id';
  checkColumn(table, orderBy, 'orderBy');
  const direction = filter.desc ? 'DESC' : 'ASC';
  // id breaks ties so paging with offset is stable.
  let sql = `SELECT * FROM ${quoteIdent(table)} WHERE ${conditions.join(' AND ')} ORDER BY ${quoteIdent(orderBy)} ${direction}, id ${direction}`;
  sql += ' LIMIT ? OFFSET ?';
  params.push(clampInt(filter.limit, -1), clampInt(filter.offset, 0));
  return db.all(sql, params).map((stored) => decodeRow(table, stored));
}

function clampInt(value: number | undefined, fallback: number): number {
  return value === undefined || !Number.isFinite(value) ? fallback : Math.max(0, Math.floor(value));
}

/** Patient search: see patient-search.ts (the index of normalized terms). */
export { searchPatientIndex as searchPatients } from './patient-search.ts';
