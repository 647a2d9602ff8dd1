/**
 * The merge of a conflict in the inbox: for every field the two sides
 * disagree on, this device's value, the server's, or a value typed in. The
 * result is the UPDATE to send on top of the server's row (only the fields
 * that differ from it), checked with the registry's own schema.
 */
import type { TableSpec } from '@clinicsync/protocol';
import { fromInput, toInput, validateData, type FieldErrors } from './form-values.ts';

export type MergeChoice =
  | { readonly source: 'mine' }
  | { readonly source: 'theirs' }
  | { readonly source: 'typed'; readonly text: string };

/** The two versions of the record, and which fields the refused edit of this device wrote (null: unknown, treat all as this device's). */
export type MergeSides = {
  readonly mine: Readonly<Record<string, unknown>>;
  readonly theirs: Readonly<Record<string, unknown>>;
  readonly changedHere: readonly string[] | null;
};

export type MergeCheck =
  | { readonly kind: 'valid'; readonly data: Record<string, unknown> }
  | { readonly kind: 'invalid'; readonly errors: FieldErrors }
  /** Every field was set to the server's value: nothing to send. */
  | { readonly kind: 'same_as_server' };

/** Two stored values are the same (absent and null count as one). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Where each differing field starts. What this device changed keeps this
 * device's value and what only the server changed keeps the server's, so
 * saving the merge unchanged loses neither person's edit.
 */
export function initialChoices(
  fields: readonly string[],
  changedHere: readonly string[] | null,
): Record<string, MergeChoice> {
  return Object.fromEntries(
    fields.map((f) => [
      f,
      { source: changedHere === null || changedHere.includes(f) ? 'mine' : 'theirs' } as MergeChoice,
    ]),
  );
}

/** The stored value a choice stands for; a typed text is converted by the field's column type. */
export function chosenValue(spec: TableSpec, field: string, choice: MergeChoice, sides: MergeSides): unknown {
  switch (choice.source) {
    case 'mine':
      return sides.mine[field] ?? null;
    case 'theirs':
      return sides.theirs[field] ?? null;
    case 'typed': {
      const column = spec.columns[field];
      return column ? fromInput(column, choice.text) : choice.text;
    }
  }
}

/** What the field's input shows for a choice. */
export function choiceText(spec: TableSpec, field: string, choice: MergeChoice, sides: MergeSides): string {
  if (choice.source === 'typed') return choice.text;
  const column = spec.columns[field];
  const value = chosenValue(spec, field, choice, sides);
  return column ? toInput(column, value) : String(value ?? '');
}

/** The fields to send (those that end up different from the server's row), checked as an UPDATE. */
export function checkMerge(
  spec: TableSpec,
  fields: readonly string[],
  choices: Readonly<Record<string, MergeChoice>>,
  sides: MergeSides,
): MergeCheck {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const value = chosenValue(spec, field, choices[field] ?? { source: 'mine' }, sides);
    if (!sameValue(value, sides.theirs[field])) data[field] = value;
  }
  if (Object.keys(data).length === 0) return { kind: 'same_as_server' };
  const errors = validateData(spec, data, 'update');
  return Object.keys(errors).length === 0 ? { kind: 'valid', data } : { kind: 'invalid', errors };
}
