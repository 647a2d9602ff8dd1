/**
 * The answer of `GET /v1/sync/schema` (PROTOCOL §5), derived from the table
 * registry so it can never disagree with validation or the SQL. Tables are
 * listed in registry order (parents before children).
 */
import {
  columnSince,
  SCHEMA_VERSION,
  TABLE_NAMES,
  tableSpec,
  type ColumnSpec,
  type SchemaColumnDescription,
  type SchemaResponse,
  type SchemaTableDescription,
  type TableSpec,
} from '@clinicsync/protocol';

/**
 * The registry as clients see it: the current version, the oldest version this
 * server still serves (its operator's `minSupportedSchemaVersion`) and every
 * table's columns, each with the version it appeared in.
 */
export function describeSchema(minSupported: number): SchemaResponse {
  const tables: Record<string, SchemaTableDescription> = {};
  for (const name of TABLE_NAMES) tables[name] = describeTable(tableSpec(name));
  return { current: SCHEMA_VERSION, minSupported, tables };
}

function describeTable(spec: TableSpec): SchemaTableDescription {
  const columns: Record<string, SchemaColumnDescription> = {};
  for (const [name, column] of Object.entries(spec.columns)) columns[name] = describeColumn(column);
  return {
    label: spec.label,
    columns,
    scope: { ...spec.scope },
    writeRoles: [...spec.writeRoles],
    immutable: [...spec.immutable],
    strict: spec.strict === 'all' ? 'all' : [...spec.strict],
  };
}

function describeColumn(column: ColumnSpec): SchemaColumnDescription {
  const { values, ...rest } = column as ColumnSpec & { values?: readonly string[] };
  return { ...rest, ...(values ? { values: [...values] } : {}), since: columnSince(column) };
}
