/**
 * The schema-version contract (PROTOCOL §5, docs/schema-migrations.md): the
 * registry's numbered versions and the one pure place that translates rows
 * between them. A column's `since` says which version added it; a client of
 * version N knows exactly the columns with `since ≤ N`.
 *
 * Versions so far:
 * 1. the tables of PROTOCOL §2;
 * 2. `appointments.kind` (optional enum);
 * 3. safe clinical entries and patient identity (PROTOCOL §2b): coded
 *    `vitals.kind` (free text before, mapped by legacy-vitals.ts),
 *    `vitals.value2`, `entered_in_error` and `error_reason` on vitals and
 *    medications, `patients.identifier`.
 */
import { columnSince, type ColumnSpec, type TableSpec } from './define-table.ts';
import { CODED_VITALS_SINCE, isHiddenFromLegacyClient, vitalForLegacyClient } from './legacy-vitals.ts';
import { TABLES, type TableName } from './tables.ts';

/** The current schema version of the registry (PROTOCOL §5). */
export const SCHEMA_VERSION = 3;
/** Oldest client schema version the server translates for by default; operators may raise it (server config `minSupportedSchemaVersion`). */
export const MIN_SUPPORTED_SCHEMA_VERSION = 1;

/** The registry columns of `table` a client of schema `version` knows, in registry order. */
export function columnsAtVersion(table: TableName, version: number): [string, ColumnSpec][] {
  return Object.entries(TABLES[table].columns).filter(([, column]) => columnSince(column) <= version);
}

/**
 * A row as a client of schema `version` receives it (pull changes, a
 * conflict's `serverRecord`): registry columns newer than `version` are left
 * out; every other key (system columns such as `updated_at`) passes as is.
 * The server keeps the newer values; the client simply never sees them, and
 * since it cannot send them either, its UPDATEs leave them untouched.
 */
export function rowForSchemaVersion(
  table: TableName,
  data: Readonly<Record<string, unknown>>,
  version: number,
): Record<string, unknown> {
  // A coded blood pressure keeps both numbers in what an older client can show (legacy-vitals.ts).
  const translated = table === 'vitals' && version < CODED_VITALS_SINCE ? vitalForLegacyClient(data) : data;
  return columnsKnownAt(TABLES[table], translated, version);
}

/**
 * A pulled change as a client of schema `version` receives it: the row
 * translated by `rowForSchemaVersion`, and an entry marked entered in error
 * sent as deleted to a client that cannot show the mark (the server keeps
 * the row; a later unmarking sends it again).
 */
export function changeForSchemaVersion(
  table: TableName,
  op: 'UPSERT' | 'DELETE',
  data: Readonly<Record<string, unknown>> | null,
  version: number,
): { op: 'UPSERT'; data: Record<string, unknown> } | { op: 'DELETE'; data: null } {
  if (op === 'DELETE' || data === null) return { op: 'DELETE', data: null };
  if (version < CODED_VITALS_SINCE && isHiddenFromLegacyClient(table, data)) return { op: 'DELETE', data: null };
  return { op: 'UPSERT', data: rowForSchemaVersion(table, data, version) };
}

/** The registry-driven rule behind `rowForSchemaVersion`, for any table spec. */
export function columnsKnownAt(
  spec: TableSpec,
  data: Readonly<Record<string, unknown>>,
  version: number,
): Record<string, unknown> {
  // A plain loop, not entries/filter/fromEntries: a first sync of an older client passes every row through here.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(data)) {
    if (Object.hasOwn(spec.columns, key) && columnSince(spec.columns[key]!) > version) continue;
    // Defined, not assigned, so even a "__proto__" key stays a plain key.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: data[key], enumerable: true, writable: true, configurable: true });
    else out[key] = data[key];
  }
  return out;
}

/** The names in `fields` a client of schema `version` knows (a conflict's `fields`); names that are not registry columns pass. */
export function fieldsForSchemaVersion(table: TableName, fields: readonly string[], version: number): string[] {
  const columns: TableSpec['columns'] = TABLES[table].columns;
  return fields.filter((field) => !Object.hasOwn(columns, field) || columnSince(columns[field]!) <= version);
}
