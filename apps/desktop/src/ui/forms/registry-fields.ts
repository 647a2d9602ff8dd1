/**
 * Form fields derived from the table registry (docs/style.md §8): labels, required
 * marks, length limits, enum choices and input kinds all come from the
 * table's spec, so a new column appears in its form without UI edits.
 */
import { ENTERED_IN_ERROR_COLUMNS, type ColumnSpec, type TableSpec } from '@clinicsync/protocol';

export type FieldOption = { readonly value: string; readonly label: string };

export type FormFieldSpec = {
  readonly name: string;
  readonly label: string;
  readonly required: boolean;
  readonly column: ColumnSpec;
  readonly input: 'text' | 'textarea' | 'select' | 'date' | 'datetime' | 'number' | 'checkbox';
  readonly options: readonly FieldOption[];
};

/** Enum values as people read them. */
export function enumLabel(value: string): string {
  if (value === 'noshow') return 'No-show';
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function inputOf(column: ColumnSpec): FormFieldSpec['input'] {
  switch (column.type) {
    case 'text':
      return column.multiline ? 'textarea' : 'text';
    case 'enum':
    case 'uuid':
      return 'select';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'datetime';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'checkbox';
  }
}

export type FieldOptions = {
  /** Columns whose value the context decides (the patient of a vital sign): not shown. */
  readonly fixed?: Readonly<Record<string, unknown>>;
  /** Choices for reference columns (a team for an appointment). A reference without choices is not shown. */
  readonly references?: Readonly<Record<string, readonly FieldOption[]>>;
  /** Columns to leave out entirely. */
  readonly omit?: readonly string[];
};

const MARKED_BY_ACTION = new Set(Object.keys(ENTERED_IN_ERROR_COLUMNS));

/** The editable fields of `spec`, in registry order. */
export function formFields(spec: TableSpec, options: FieldOptions = {}): FormFieldSpec[] {
  const fields: FormFieldSpec[] = [];
  for (const [name, column] of Object.entries(spec.columns)) {
    if (options.fixed && name in options.fixed) continue;
    if (options.omit?.includes(name)) continue;
    // Set only by marking an entry entered in error (MarkEnteredInError), with its reason, never typed in a form.
    if (MARKED_BY_ACTION.has(name)) continue;
    let choices: readonly FieldOption[] = [];
    if (column.type === 'enum') choices = column.values.map((v) => ({ value: v, label: enumLabel(v) }));
    if (column.type === 'uuid') {
      const given = options.references?.[name];
      if (!given) continue;
      choices = given;
    }
    fields.push({
      name,
      label: column.label,
      required: column.required,
      column,
      input: inputOf(column),
      options: choices,
    });
  }
  return fields;
}
