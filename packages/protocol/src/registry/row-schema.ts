import { z } from 'zod';
import { uuidSchema } from '../ids.ts';
import { isStorableText, storedInteger, UNSTORABLE_TEXT } from '../storable.ts';
import { hasInvisibleEnd, hasVisibleCharacter } from '../visible-text.ts';
import { columnAtVersion, columnSince, type ColumnSpec, type TableSpec } from './define-table.ts';
import { isServableTimestamp } from './servable-timestamp.ts';

/**
 * Zod schemas for a table's `data`, derived from its registry entry so the
 * server and every client refuse the same values with the same codes.
 * INSERT carries the whole row; UPDATE only the fields that changed. Optional
 * columns accept `null` to clear them. Unknown keys are refused (`strict`).
 */

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function isRealDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** A code (`ColumnSpec.code`): something to see, and nothing blank at either end. */
function isCode(text: string): boolean {
  return hasVisibleCharacter(text) && !hasInvisibleEnd(text);
}

/** The zod schema of one column value (never null; nullability is added by the caller). */
export function columnSchema(column: ColumnSpec): z.ZodType {
  switch (column.type) {
    case 'uuid':
      return uuidSchema;
    case 'text': {
      // Text every database stores as it is (storable.ts); required text must hold something other than blanks.
      const text = z.string().max(column.maxLength).refine(isStorableText, { message: UNSTORABLE_TEXT });
      if (column.code) return text.refine(isCode, { message: 'blank' });
      return column.required ? text.refine(hasVisibleCharacter, { message: 'required' }) : text;
    }
    case 'enum':
      return z.enum(column.values as [string, ...string[]]);
    case 'date':
      return z.string().regex(DATE).refine(isRealDate, { message: 'invalid date' });
    case 'timestamp':
      // Served as sent, also as FHIR: only what FHIR R4 can express (servable-timestamp.ts).
      return z.iso.datetime({ offset: true }).refine(isServableTimestamp, { message: 'out of range' });
    case 'integer':
      // Never beyond what an SQL integer column holds, whatever the registry says.
      return storedInteger(column.min, column.max);
    case 'number':
      return z.number().min(column.min).max(column.max);
    case 'boolean':
      return z.boolean();
  }
}

function fieldSchema(column: ColumnSpec, mode: 'insert' | 'update'): z.ZodType {
  const value = columnSchema(column);
  if (column.required) return mode === 'insert' ? value : value.optional();
  // A flag is true or false; omitting it on INSERT stores its default, so null would only be a third meaning.
  if (column.type === 'boolean') return value.optional();
  return value.nullable().optional();
}

type Schemas = { insert: z.ZodType; update: z.ZodType };
const cache = new WeakMap<TableSpec, Map<number, Schemas>>();

/**
 * The schema of `data` for an INSERT or an UPDATE of `spec`, as a client of
 * `schemaVersion` sends it (default: every column). Columns newer than that
 * version are unknown to such a client and refused as unknown fields.
 */
export function rowDataSchema(
  spec: TableSpec,
  mode: 'insert' | 'update',
  schemaVersion = Number.MAX_SAFE_INTEGER,
): z.ZodType<Record<string, unknown>> {
  let byVersion = cache.get(spec);
  if (!byVersion) cache.set(spec, (byVersion = new Map()));
  let entry = byVersion.get(schemaVersion);
  if (!entry) {
    const columns = Object.entries(spec.columns)
      .filter(([, c]) => columnSince(c) <= schemaVersion)
      .map(([k, c]) => [k, columnAtVersion(c, schemaVersion)] as const);
    const shape = (m: 'insert' | 'update') =>
      z.strictObject(Object.fromEntries(columns.map(([k, c]) => [k, fieldSchema(c, m)])));
    entry = {
      insert: shape('insert'),
      update: shape('update').refine((d) => Object.keys(d).length > 0, {
        message: 'an UPDATE must change at least one field',
      }),
    };
    byVersion.set(schemaVersion, entry);
  }
  return entry[mode] as z.ZodType<Record<string, unknown>>;
}
