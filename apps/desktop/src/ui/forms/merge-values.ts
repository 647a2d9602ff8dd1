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
  | { readonly source: 'typed'; readonly text: string }
  /** A field both people changed, not chosen yet: the merge is not saved until someone picks or types its value. */
  | { readonly source: 'undecided' };

/** The message at a field in conflict that nobody has chosen for yet. */
export const UNDECIDED_MESSAGE = "Choose this device's value or the server's, or type the value to keep.";

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
 * Where each differing field starts. What only this device changed keeps
 * this device's value and what only the server changed keeps the server's,
 * so saving the merge unchanged loses neither person's edit. A field both
 * changed (`conflicting`) starts undecided: whichever side was preselected,
 * pressing "Save merge" would silently drop the other person's value.
 */
export function initialChoices(
  fields: readonly string[],
  changedHere: readonly string[] | null,
  conflicting: readonly string[] = [],
): Record<string, MergeChoice> {
  return Object.fromEntries(
    fields.map((f): [string, MergeChoice] => [
      f,
      conflicting.includes(f)
        ? { source: 'undecided' }
        : { source: changedHere === null || changedHere.includes(f) ? 'mine' : 'theirs' },
    ]),
  );
}

/** A merge in progress as a local draft's values (field → its choice), so what was chosen or typed survives leaving. */
export function choicesToDraft(choices: Readonly<Record<string, MergeChoice>>): Record<string, string> {
  return Object.fromEntries(Object.entries(choices).map(([field, choice]) => [field, JSON.stringify(choice)]));
}

/**
 * The choices a draft holds for `fields` (the fields that differ now), on top of `initial`; a value that is not
 * a choice (an older or damaged draft) leaves the field as it starts.
 */
export function choicesFromDraft(
  values: Readonly<Record<string, string>>,
  fields: readonly string[],
  initial: Readonly<Record<string, MergeChoice>>,
): Record<string, MergeChoice> {
  const choices: Record<string, MergeChoice> = { ...initial };
  for (const field of fields) {
    const stored = values[field];
    if (stored === undefined) continue;
    const choice = parseChoice(stored);
    if (choice) choices[field] = choice;
  }
  return choices;
}

function parseChoice(text: string): MergeChoice | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { source, text: typed } = value as { source?: unknown; text?: unknown };
  if (source === 'typed') return typeof typed === 'string' ? { source, text: typed } : null;
  return source === 'mine' || source === 'theirs' || source === 'undecided' ? { source } : null;
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
    case 'undecided':
      return undefined;
  }
}

/** What the field's input shows for a choice. */
export function choiceText(spec: TableSpec, field: string, choice: MergeChoice, sides: MergeSides): string {
  if (choice.source === 'typed') return choice.text;
  if (choice.source === 'undecided') return '';
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
  const undecided: FieldErrors = {};
  for (const field of fields) {
    const choice = choices[field] ?? { source: 'mine' };
    if (choice.source === 'undecided') {
      undecided[field] = UNDECIDED_MESSAGE;
      continue;
    }
    const value = chosenValue(spec, field, choice, sides);
    if (!sameValue(value, sides.theirs[field])) data[field] = value;
  }
  if (Object.keys(undecided).length === 0 && Object.keys(data).length === 0) return { kind: 'same_as_server' };
  const errors = { ...validateData(spec, data, 'update'), ...undecided };
  return Object.keys(errors).length === 0 ? { kind: 'valid', data } : { kind: 'invalid', errors };
}
