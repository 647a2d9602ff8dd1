/** How records are named on screen. */
import { TABLES, VITAL_KINDS, isTableName, vitalKindSpec, type ColumnSpec } from '@clinicsync/protocol';
import { formatDate, formatDateTime } from '../clock.ts';
import { enumLabel } from '../forms/registry-fields.ts';

/** "Okafor, Amina" (family name first, as on clinic lists). */
export function patientName(row: Readonly<Record<string, unknown>> | null | undefined): string {
  if (!row) return 'Unknown patient';
  return [row.family_name, row.given_name].filter((p) => typeof p === 'string' && p).join(', ') || 'Unnamed patient';
}

const VITAL_COLUMNS = TABLES.vitals.columns;

/**
 * A vital sign's codes as the app names them everywhere else: "Temperature", not the code's words; "°C", not
 * the UCUM code "Cel". Undefined for other columns and for uncoded (older app) values, shown as stored.
 */
function vitalCodeText(column: ColumnSpec, value: unknown, row: Readonly<Record<string, unknown>> | undefined) {
  if (column === VITAL_COLUMNS.kind) return vitalKindSpec(value)?.label;
  if (column !== VITAL_COLUMNS.unit) return undefined;
  const spec = vitalKindSpec(row?.kind) ?? Object.values(VITAL_KINDS).find((k) => k.unit === value);
  return spec && spec.unit === value ? spec.unitLabel : undefined;
}

/** A stored value for reading, by its registry column; `row` (the record it belongs to) where a value needs it. */
export function displayValue(
  column: ColumnSpec | undefined,
  value: unknown,
  row?: Readonly<Record<string, unknown>>,
): string {
  if (value === null || value === undefined || value === '') return '—';
  if (!column) return String(value);
  const coded = vitalCodeText(column, value, row);
  if (coded !== undefined) return coded;
  switch (column.type) {
    case 'date':
      return formatDate(String(value));
    case 'timestamp':
      return formatDateTime(String(value));
    case 'enum':
      return enumLabel(String(value));
    default:
      return String(value);
  }
}

/** A one-line title for any record ("Patient Okafor, Amina", "Medication Amoxicillin"). */
export function recordTitle(table: string, row: Readonly<Record<string, unknown>> | null): string {
  if (!isTableName(table)) return table;
  const spec = TABLES[table];
  const label = spec.label.charAt(0).toUpperCase() + spec.label.slice(1);
  if (!row) return label;
  switch (table) {
    case 'patients':
      return `${label} ${patientName(row)}`;
    case 'appointments':
      return `${label} ${formatDateTime(String(row.starts_at ?? ''))}`;
    case 'medications':
      return `${label} ${String(row.code ?? '')}`;
    case 'vitals':
      return `${label} ${displayValue(VITAL_COLUMNS.kind, row.kind)}`;
    default:
      return `${label} ${String(row.name ?? '')}`.trim();
  }
}
