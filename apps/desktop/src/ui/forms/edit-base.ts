/**
 * An edit form's base: the record as the person saw it when the form opened.
 * Changes are what the person typed against that base, never the difference
 * from the newest row, or saving would write back the old value of every
 * field a colleague changed meanwhile (a note added on another device,
 * silently wiped by a phone number fixed here). Pure.
 *
 * While the form is open, a colleague's change of a field the person has not
 * touched is taken into the form and its base; a change of a field the person
 * did touch is left for `changedUnderneath`, so the form can say so before
 * saving over it.
 */
import type { TableSpec } from '@clinicsync/protocol';
import { toInput, type FormValues } from './form-values.ts';
import { sameValue } from './merge-values.ts';

type Row = Readonly<Record<string, unknown>>;

/** The form's base and values once `latest` (the record as stored now) has arrived. */
export function adoptIncoming(
  spec: TableSpec,
  fields: readonly string[],
  state: { readonly base: Row; readonly values: FormValues },
  latest: Row,
): { readonly base: Row; readonly values: FormValues } {
  let base = state.base;
  let values = state.values;
  for (const name of fields) {
    const column = spec.columns[name];
    if (!column || sameValue(base[name], latest[name])) continue;
    if (values[name] !== toInput(column, base[name])) continue; // typed here: keep it, and its old base
    base = { ...base, [name]: latest[name] };
    values = { ...values, [name]: toInput(column, latest[name]) };
  }
  // Fields the form does not show (version, updated_at, …) follow the stored row.
  const shown = new Set(fields);
  const rest = Object.fromEntries(Object.entries(latest).filter(([name]) => !shown.has(name)));
  return { base: { ...base, ...rest }, values };
}

/** The fields `data` would write that changed on the stored row since the form's base: saving would overwrite them. */
export function changedUnderneath(data: Row, base: Row, latest: Row): string[] {
  return Object.keys(data).filter(
    (name) => !sameValue(base[name], latest[name]) && !sameValue(latest[name], data[name]),
  );
}

/** The values the person changed from the base, for a draft: restoring it later must not bring back old values. */
export function typedValues(spec: TableSpec, fields: readonly string[], base: Row, values: FormValues): FormValues {
  const typed: FormValues = {};
  for (const name of fields) {
    const column = spec.columns[name];
    if (column && values[name] !== undefined && values[name] !== toInput(column, base[name]))
      typed[name] = values[name];
  }
  return typed;
}
