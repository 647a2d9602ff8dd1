import type { TableName, TableSpec } from '@clinicsync/protocol';
import { TABLES } from '@clinicsync/protocol';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { LocalRow } from '../../shared/local-api.ts';
import { LocalApiError } from '../api/local-client.ts';
import { adoptIncoming, changedUnderneath, typedValues } from '../forms/edit-base.ts';
import { checkForm, initialValues, toInput, type FieldErrors, type FormValues } from '../forms/form-values.ts';
import { formFields, type FieldOption } from '../forms/registry-fields.ts';
import { formatDateTime } from '../clock.ts';
import { useDraft } from '../hooks/useDraft.ts';
import { recordWriter } from '../hooks/useRecords.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { FormField } from './FormField.tsx';

type Props = {
  readonly table: TableName;
  /** The row to edit; absent for a new record. */
  readonly row?: LocalRow | null;
  /** Context values of a new record (its organization, its patient): not shown. */
  readonly fixed?: Readonly<Record<string, unknown>>;
  readonly references?: Readonly<Record<string, readonly FieldOption[]>>;
  readonly omit?: readonly string[];
  readonly defaults?: Readonly<Record<string, string>>;
  readonly submitLabel: string;
  readonly onSaved: (row: LocalRow) => void;
  readonly onCancel?: () => void;
  readonly title?: string;
  /**
   * Keeps what is typed as a local draft under this key (`patients:new:ORG`,
   * `vitals:edit:ID`): restored when the form opens again, gone on save or cancel.
   */
  readonly draftKey?: string;
  /**
   * Asked before saving valid data: a warning to show (likely duplicates, a time in the past), or null. With a
   * warning the form does not save until the user saves again, unchanged ("Save anyway").
   */
  readonly warnBeforeSave?: (data: Readonly<Record<string, unknown>>) => Promise<ReactNode | null>;
  /** The first field takes the focus when the form appears (a form opened in place of its button). */
  readonly focusFirstField?: boolean;
};

function issuesToErrors(spec: TableSpec, error: LocalApiError): FieldErrors | null {
  const issues = (error.details.issues ?? []) as { path: string; code: string }[];
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.split('.')[0] ?? '';
    if (spec.columns[field])
      errors[field] = issue.code === 'immutable_field' ? 'This field cannot be changed.' : 'Not valid.';
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

/**
 * A create or edit form generated from the table registry. Validation runs
 * with the registry's own schema: per field on leaving it, everywhere on
 * submit, and the first invalid field gets the focus.
 */
export function RecordForm({
  table,
  row,
  fixed,
  references,
  omit,
  defaults,
  submitLabel,
  onSaved,
  onCancel,
  title,
  draftKey,
  warnBeforeSave,
  focusFirstField = false,
}: Props) {
  const spec = TABLES[table];
  const idPrefix = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const fields = useMemo(
    () =>
      formFields(spec, {
        fixed: row ? undefined : fixed,
        references,
        omit: [...(omit ?? []), ...(row ? spec.immutable : [])],
      }),
    [spec, fixed, references, omit, row],
  );
  const [values, setValues] = useState<FormValues>(() => initialValues(spec, row ?? null, defaults));
  // The record as the person saw it when the form opened (forms/edit-base.ts): what they change is measured from it.
  const [base, setBase] = useState<Readonly<Record<string, unknown>> | null>(() => row ?? null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  // Fields typed in. Leaving a field never typed in says nothing: "Required." under it would push the buttons
  // down between pressing and releasing the mouse, and a click on Cancel would miss.
  const [typed, setTyped] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<LocalApiError | null>(null);
  const [warning, setWarning] = useState<{ readonly node: ReactNode; readonly forData: string } | null>(null);
  const mode = row ? 'update' : 'insert';
  const names = fields.map((f) => f.name);
  const draft = useDraft(draftKey, (restored) => setValues((current) => ({ ...current, ...restored })));

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new stored row is the trigger; the base and values are read as they are then.
  useEffect(() => {
    // A colleague's change arrived while the form is open: untouched fields show it, typed ones are kept.
    if (!row || !base || row === base) return;
    const next = adoptIncoming(spec, names, { base, values }, row);
    setBase(next.base);
    if (next.values !== values) setValues(next.values);
  }, [row]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the form appears.
  useEffect(() => {
    if (focusFirstField) formRef.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);

  const validate = (next: FormValues) => {
    const check = checkForm(spec, next, mode, { fixed, original: base, fields: names });
    return check.kind === 'invalid' ? check.errors : {};
  };

  const change = (name: string, value: string) => {
    const next = { ...values, [name]: value };
    setValues(next);
    if (!typed[name]) setTyped((t) => ({ ...t, [name]: true }));
    draft.save(base ? typedValues(spec, names, base, next) : next);
    if (submitted || touched[name]) setErrors(validate(next));
  };

  const blur = (name: string) => {
    if (!typed[name] && !submitted) return;
    setTouched((t) => ({ ...t, [name]: true }));
    const all = validate(values);
    setErrors((e) => {
      const merged = { ...e };
      delete merged[name];
      if (all[name]) merged[name] = all[name];
      return merged;
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFailure(null);
    const check = checkForm(spec, values, mode, { fixed, original: base, fields: names });
    if (check.kind === 'invalid') {
      setErrors(check.errors);
      const first = names.find((n) => check.errors[n]);
      formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    setErrors({});
    if (check.kind === 'unchanged') {
      await draft.discard();
      if (row) onSaved(row);
      return;
    }
    const key = JSON.stringify(check.data);
    if (warning?.forData !== key) {
      const overwritten = row && base ? changedUnderneath(check.data, base, row) : [];
      const node = warnBeforeSave ? await warnBeforeSave(check.data) : null;
      if (overwritten.length > 0 || node) {
        setWarning({
          node: (
            <>
              {overwritten.length > 0 && row && (
                <ChangedElsewhere spec={spec} fields={overwritten} latest={row} typed={check.data} />
              )}
              {node}
            </>
          ),
          forData: key,
        });
        return;
      }
    }
    setSaving(true);
    try {
      const saved = row
        ? await recordWriter.update(table, row.id, check.data)
        : await recordWriter.insert(table, check.data);
      await draft.discard();
      onSaved(saved);
    } catch (error) {
      const failed = error instanceof LocalApiError ? error : new LocalApiError(0, 'internal', 'Could not save.');
      const fieldErrors = issuesToErrors(spec, failed);
      if (fieldErrors) setErrors(fieldErrors);
      else setFailure(failed);
    } finally {
      setSaving(false);
    }
  };

  const errorCount = Object.keys(errors).length;
  return (
    <form
      ref={formRef}
      className="record-form"
      onSubmit={submit}
      noValidate
      aria-label={title ?? `${row ? 'Edit' : 'New'} ${spec.label}`}
    >
      {title && <h3 className="form-title">{title}</h3>}
      {draft.restoredAt && (
        <p className="notice notice-info draft-notice" role="status">
          <span>Restored what you typed before ({formatDateTime(draft.restoredAt)}); it has not been saved yet.</span>
          <button
            type="button"
            className="button small"
            onClick={() => {
              void draft.discard();
              setValues(initialValues(spec, row ?? null, defaults));
              setBase(row ?? null);
            }}
          >
            Discard draft
          </button>
        </p>
      )}
      {submitted && errorCount > 0 && (
        <p className="notice notice-error" role="alert">
          {errorCount === 1 ? 'One field needs attention.' : `${errorCount} fields need attention.`}
        </p>
      )}
      <div className="form-grid">
        {fields.map((field) => (
          <FormField
            key={field.name}
            field={field}
            idPrefix={idPrefix}
            value={values[field.name] ?? ''}
            error={errors[field.name]}
            onChange={(v) => change(field.name, v)}
            onBlur={() => blur(field.name)}
          />
        ))}
      </div>
      <ErrorNotice error={failure} title="Not saved." />
      {warning && (
        <div className="notice notice-warning" role="alert">
          {warning.node}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? 'Saving…' : warning ? `${submitLabel} anyway` : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={() => void draft.discard().then(onCancel)}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** Fields this form would save over a colleague's newer value: named, with that value, before anything is saved. */
function ChangedElsewhere({
  spec,
  fields,
  latest,
  typed,
}: {
  readonly spec: TableSpec;
  readonly fields: readonly string[];
  readonly latest: Readonly<Record<string, unknown>>;
  readonly typed: Readonly<Record<string, unknown>>;
}) {
  const shown = (name: string, value: unknown) => {
    const column = spec.columns[name];
    const text = column ? toInput(column, value) : String(value ?? '');
    return text === '' ? '(empty)' : `“${text}”`;
  };
  return (
    <>
      <p>
        <strong>Changed on another device while you were editing.</strong> Saving replaces the newer value:
      </p>
      <ul className="changed-elsewhere">
        {fields.map((name) => (
          <li key={name}>
            {spec.columns[name]?.label ?? name}: now {shown(name, latest[name])}, yours {shown(name, typed[name])}
          </li>
        ))}
      </ul>
    </>
  );
}
