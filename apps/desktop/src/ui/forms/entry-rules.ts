/**
 * Rules the clinic app applies at a field on top of the registry's schema:
 * things the wire contract accepts but that staff never mean to type. The
 * server keeps its own rule (PROTOCOL §2: a patient's phone is any text up to
 * 50 characters), so a record written by another client, or before this
 * rule, still syncs and shows; only what is typed here is checked.
 */
import type { TableSpec } from '@clinicsync/protocol';
import type { FieldErrors } from './form-values.ts';

type EntryRule = (value: unknown) => string | null;

/**
 * A phone number holds at least one digit: "n/a", "-" or "none" typed into
 * it would read as a number to call and match nobody in a phone search. An
 * empty phone is "no value" and stays allowed (the field is optional).
 */
const phoneHasDigit: EntryRule = (value) =>
  typeof value === 'string' && value.trim() !== '' && !/\d/.test(value)
    ? 'Enter a phone number with its digits, or leave it empty.'
    : null;

const RULES: Readonly<Record<string, Readonly<Record<string, EntryRule>>>> = {
  patients: { phone: phoneHasDigit },
};

/** The app's entry rules broken by `data` (field → message for people); only fields present in `data` are checked. */
export function entryIssues(spec: TableSpec, data: Readonly<Record<string, unknown>>): FieldErrors {
  const rules = RULES[spec.name] ?? {};
  const errors: FieldErrors = {};
  for (const [name, rule] of Object.entries(rules)) {
    if (!Object.hasOwn(data, name)) continue;
    const message = rule(data[name]);
    if (message) errors[name] = message;
  }
  return errors;
}
