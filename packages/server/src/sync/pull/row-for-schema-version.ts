/**
 * Translation of a row for an older client (PROTOCOL §5): the one place where
 * pull adapts what it sends to the client's `schemaVersion`. Today it drops
 * the columns the client's version does not know (`columnSince` in the
 * registry), so an older supported client never receives a field it cannot
 * store. Renames or type changes of a later schema version go here too.
 */
import { columnSince, tableSpec, type TableName, type TableSpec } from '@clinicsync/protocol';

/** `data` as a client of schema `version` knows it: registry columns newer than `version` are left out; other keys (updated_at, updated_by) pass. */
export function rowForSchemaVersion(table: TableName, data: Readonly<Record<string, unknown>>, version: number): Record<string, unknown> {
  return columnsKnownAt(tableSpec(table), data, version);
}

/** The registry-driven rule behind `rowForSchemaVersion`, for any table spec. */
export function columnsKnownAt(spec: TableSpec, data: Readonly<Record<string, unknown>>, version: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const column = Object.prototype.hasOwnProperty.call(spec.columns, key) ? spec.columns[key] : undefined;
    if (column && columnSince(column) > version) continue;
    row[key] = value;
  }
  return row;
}
