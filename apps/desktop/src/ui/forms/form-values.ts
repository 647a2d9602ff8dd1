/**
 * Converts between stored row values and the strings form inputs hold, and
 * validates a form with the registry's own zod schema (`rowDataSchema`), so
 * the form refuses exactly what the server would refuse.
 */
import {
  clinicalIssues,
  localToday,
  rowDataSchema,
  type ClinicalIssueCode,
  type ColumnSpec,
  type TableSpec,
} from '@clinicsync/protocol';
import { now } from '../clock.ts';
import { entryIssues } from './entry-rules.ts';

export type FormValues = Record<string, string>;
/** Field name → message for people. */
export type FieldErrors = Record<string, string>;

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as the value of a `datetime-local` input, in the computer's time zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A stored value as an input string. */
export function toInput(column: ColumnSpec, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (column.type === 'timestamp') return toLocalInput(String(value));
  return String(value);
}

/** An input string as the value to store; '' is "no value" (null). Unparseable numbers stay strings so validation names them. */
export function fromInput(column: ColumnSpec, text: string): unknown {
  const value = column.type === 'text' && !column.multiline ? text.trim() : text;
  if (value.trim() === '') return null;
  switch (column.type) {
    case 'integer':
    case 'number': {
      const n = Number(value);
      return Number.isFinite(n) ? n : value;
    }
    case 'timestamp': {
      const d = new Date(value);
      return Number.isNaN(d.getTime()) ? value : d.toISOString();
    }
    case 'boolean':
      return value === 'true';
    default:
      return value;
  }
}

/** The initial form values of a row (or of an empty form). */
export function initialValues(
  spec: TableSpec,
  row: Readonly<Record<string, unknown>> | null,
  defaults: Readonly<Record<string, string>> = {},
): FormValues {
  const values: FormValues = {};
  for (const [name, column] of Object.entries(spec.columns))
    values[name] = row ? toInput(column, row[name]) : (defaults[name] ?? '');
  return values;
}

function message(column: ColumnSpec, code: string, value: unknown): string {
  if (value === null || value === undefined) return 'Required.';
  switch (code) {
    case 'too_big':
      return column.type === 'text'
        ? `At most ${column.maxLength} characters.`
        : column.type === 'integer' || column.type === 'number'
          ? `At most ${column.max}.`
          : 'Too long.';
    case 'too_small':
      return column.type === 'integer' || column.type === 'number' ? `At least ${column.min}.` : 'Required.';
    case 'invalid_value':
      return 'Choose one of the options.';
    case 'invalid_type':
      if (column.type === 'integer' && typeof value === 'number') return 'Enter a whole number.';
      return column.type === 'integer' || column.type === 'number' ? 'Enter a number.' : 'Required.';
    case 'invalid_format':
      return column.type === 'date'
        ? 'Enter a date (YYYY-MM-DD).'
        : column.type === 'timestamp'
          ? 'Enter a date and time.'
          : 'Not valid.';
    case 'custom':
      return column.type === 'date' ? 'This date does not exist.' : 'Required.';
    default:
      return column.type === 'integer' ? 'Enter a whole number.' : 'Not valid.';
  }
}

export type FormCheck =
  | { readonly kind: 'valid'; readonly data: Record<string, unknown> }
  | { readonly kind: 'invalid'; readonly errors: FieldErrors }
  | { readonly kind: 'unchanged' };

/**
 * Builds the `data` of an INSERT (every field) or an UPDATE (changed fields
 * only) from the form, plus the fixed context values, and checks it.
 */
export function checkForm(
  spec: TableSpec,
  values: FormValues,
  mode: 'insert' | 'update',
  options: {
    fixed?: Readonly<Record<string, unknown>>;
    original?: Readonly<Record<string, unknown>> | null;
    fields: readonly string[];
  },
): FormCheck {
  const data: Record<string, unknown> = {};
  for (const name of options.fields) {
    const column = spec.columns[name];
    if (!column) continue;
    const value = fromInput(column, values[name] ?? '');
    if (mode === 'insert') {
      if (value !== null || column.required) data[name] = value ?? undefined;
    } else {
      const before = options.original?.[name] ?? null;
      if (value !== before) data[name] = value;
    }
  }
  if (mode === 'insert') Object.assign(data, options.fixed ?? {});
  if (mode === 'update' && Object.keys(data).length === 0) return { kind: 'unchanged' };
  const errors = validateData(spec, data, mode);
  if (Object.keys(errors).length === 0) {
    // The clinical rules the server applies (PROTOCOL §2b), at the field before anything is sent.
    const row = mode === 'insert' ? data : { ...(options.original ?? {}), ...data };
    const changed = mode === 'insert' ? undefined : Object.keys(data);
    const at = now();
    const today = localToday(at);
    for (const issue of clinicalIssues(spec.name, row, { now: at, today, ...(changed ? { changed } : {}) }))
      errors[issue.path] ??= clinicalMessage(issue.code, issue.path);
  }
  return Object.keys(errors).length === 0 ? { kind: 'valid', data } : { kind: 'invalid', errors };
}

/**
 * The corrected values of a refused change ("Edit and send again") as the data to send, converted as a form's
 * inputs are (an emptied field is no value, a number field holds a number) and checked like a form's fields.
 * Converting with `Number()` sent "abc" as NaN, which JSON turns into null: the value was silently cleared.
 */
export function checkCorrections(
  spec: TableSpec,
  values: Readonly<FormValues>,
  /** The values as the correction started: the app's own entry rules check only what the person changed. */
  original: Readonly<FormValues> = {},
):
  | { readonly kind: 'valid'; readonly data: Record<string, unknown> }
  | { readonly kind: 'invalid'; readonly errors: FieldErrors } {
  const data: Record<string, unknown> = {};
  const changed: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(values)) {
    const column = spec.columns[name];
    if (!column) continue;
    data[name] = fromInput(column, text);
    if (text !== original[name]) changed[name] = data[name];
  }
  const errors = validateData(spec, data, 'update', changed);
  return Object.keys(errors).length === 0 ? { kind: 'valid', data } : { kind: 'invalid', errors };
}

/** A clinical rule broken, for people. */
export function clinicalMessage(code: ClinicalIssueCode, path: string): string {
  switch (code) {
    case 'out_of_range':
      return path === 'value2'
        ? 'Outside what can be measured, or not below the systolic.'
        : 'Outside what can be measured: check the number and its unit.';
    case 'wrong_unit':
      return 'Not the unit of this kind of measurement.';
    case 'unknown_kind':
      return 'Choose a kind of measurement.';
    case 'required':
      return 'Required.';
    case 'not_allowed':
      return 'Only a blood pressure has a second value.';
    case 'in_future':
      return path === 'birth_date' ? 'A birth date cannot be in the future.' : 'Cannot be in the future.';
    case 'too_early':
      return 'Not before 1900-01-01.';
  }
}

/**
 * Checks row data with the registry's schema, then the app's own entry rules (entry-rules.ts): field name →
 * message for people, empty when the data is valid. A schema error wins over an entry rule of the same field.
 */
export function validateData(
  spec: TableSpec,
  data: Readonly<Record<string, unknown>>,
  mode: 'insert' | 'update',
  /** What the app's own entry rules check (default: all of `data`); a value someone else stored passes them. */
  typed: Readonly<Record<string, unknown>> = data,
): FieldErrors {
  const parsed = rowDataSchema(spec, mode).safeParse(data);
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '');
      const column = spec.columns[name];
      if (!column || errors[name]) continue;
      errors[name] = message(column, issue.code, data[name]);
    }
  }
  for (const [name, text] of Object.entries(entryIssues(spec, typed))) errors[name] ??= text;
  return errors;
}
