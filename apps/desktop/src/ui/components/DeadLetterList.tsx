import { isTableName, TABLES, type TableSpec } from '@clinicsync/protocol';
import { useState } from 'react';
import type { DeadLetterView } from '../../shared/local-api.ts';
import { LocalApiError } from '../api/local-client.ts';
import { formatDateTime } from '../clock.ts';
import { displayValue } from '../copy/record-labels.ts';
import { refusalAction } from '../copy/refusal-actions.ts';
import { refusalCopy } from '../copy/sync-copy.ts';
import { checkCorrections, type FieldErrors } from '../forms/form-values.ts';
import { useDeadLetters } from '../hooks/useConflicts.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

/** "Change to patient Amina Bello", "New vital sign for Amina Bello". */
function letterTitle(d: DeadLetterView): string {
  const who = d.subject.patientName;
  const what = d.subject.label;
  switch (d.op) {
    case 'INSERT':
      return d.table === 'patients' ? `New patient ${who ?? ''}`.trim() : `New ${what}${who ? ` for ${who}` : ''}`;
    case 'DELETE':
      return `Deletion of ${what}${who ? ` ${d.table === 'patients' ? '' : 'of '}${who}` : ''}`.replace('  ', ' ');
    default:
      return d.table === 'patients'
        ? `Change to patient ${who ?? ''}`.trim()
        : `Change to ${what}${who ? ` of ${who}` : ''}`;
  }
}

/** The refused values, by field label: what the person typed. */
function refusedFields(d: DeadLetterView): { name: string; label: string; text: string }[] {
  if (!d.data || !isTableName(d.table)) return [];
  const spec: TableSpec = TABLES[d.table];
  return Object.entries(d.data)
    .filter(([name]) => spec.columns[name] && !(spec.columns[name]!.type === 'uuid'))
    .map(([name, value]) => ({
      name,
      label: spec.columns[name]!.label,
      text: displayValue(spec.columns[name], value, { ...d.record, ...d.data }),
    }));
}

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (a locked-down browser): the old way still works from a click.
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/** Changes the server refused for good: named, with what was refused and why, and what can be done next. */
export function DeadLetterList() {
  const { data, error, discard, resend } = useDeadLetters();
  const [failure, setFailure] = useState<LocalApiError | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  // The values as the correction started, so the app's entry rules check only what the person changed.
  const [startValues, setStartValues] = useState<Record<string, string>>({});
  const [resendErrors, setResendErrors] = useState<FieldErrors>({});
  const [copied, setCopied] = useState<string | null>(null);
  if (!data || data.length === 0) return error ? <ErrorNotice error={error} /> : null;

  const fail = (fallback: string) => (e: unknown) =>
    setFailure(e instanceof LocalApiError ? e : new LocalApiError(0, 'internal', fallback));
  const startEdit = (d: DeadLetterView) => {
    setEditing(d.id);
    setResendErrors({});
    const start = Object.fromEntries(
      refusedFields(d).map((f) => [
        f.name,
        d.data?.[f.name] === null || d.data?.[f.name] === undefined ? '' : String(d.data[f.name]),
      ]),
    );
    setValues(start);
    setStartValues(start);
  };
  const send = (d: DeadLetterView) => {
    const spec: TableSpec | null = isTableName(d.table) ? TABLES[d.table] : null;
    // A table this app does not know has no fields to correct: it is sent as it was.
    const check = spec ? checkCorrections(spec, values, startValues) : ({ kind: 'valid', data: {} } as const);
    setResendErrors(check.kind === 'invalid' ? check.errors : {});
    if (check.kind === 'invalid') return;
    resend(d.id, check.data).then(() => {
      setEditing(null);
      setFailure(null);
    }, fail('Could not send it again.'));
  };

  return (
    <section className="card" aria-labelledby="refused-title">
      <h2 id="refused-title">Changes the server refused</h2>
      <p className="muted small">
        These changes were not applied. Each says why and what can be done: correct it and send it again where that can
        work; otherwise copy it (for a colleague, or to enter it again) and discard it once it is not needed.
      </p>
      <ErrorNotice error={error ?? failure} />
      <ul className="plain-list">
        {data.map((d) => {
          const fields = refusedFields(d);
          const summary = `${letterTitle(d)}: ${fields.map((f) => `${f.label}: ${f.text}`).join('; ') || (d.op === 'DELETE' ? 'deletion' : '')} — ${refusalCopy(d.code, d.message)}`;
          // Only what can work for this refusal (copy/refusal-actions.ts): an edit cannot change who is sending it.
          const action = refusalAction(d.code, d.table);
          return (
            <li key={d.id} className="list-row dead-letter" aria-label={letterTitle(d)}>
              <div>
                <strong>{letterTitle(d)}</strong>
                {fields.length > 0 && (
                  <dl className="dead-letter-fields small">
                    {fields.map((f) => (
                      <div key={f.name}>
                        <dt>{f.label}</dt>
                        <dd>{f.text}</dd>
                      </div>
                    ))}
                  </dl>
                )}
                <span className="refusal-reason">{refusalCopy(d.code, d.message)}</span>
                {action.kind !== 'correct' && <span className="refusal-advice small"> {action.advice}</span>}
                <br />
                <span className="muted small">{formatDateTime(d.createdAt)}</span>
                {editing === d.id && (
                  <form
                    className="record-form"
                    aria-label="Edit and send again"
                    onSubmit={(e) => {
                      e.preventDefault();
                      send(d);
                    }}
                  >
                    {fields.map((f) => {
                      const id = `resend-${d.id}-${f.name}`;
                      const fieldError = resendErrors[f.name];
                      return (
                        <div className={`field${fieldError ? ' field-invalid' : ''}`} key={f.name}>
                          <label htmlFor={id}>{f.label}</label>
                          <input
                            id={id}
                            value={values[f.name] ?? ''}
                            aria-invalid={fieldError ? true : undefined}
                            aria-describedby={fieldError ? `${id}-error` : undefined}
                            onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                          />
                          {fieldError && (
                            <p className="field-error" id={`${id}-error`}>
                              {fieldError}
                            </p>
                          )}
                        </div>
                      );
                    })}
                    <div className="form-actions">
                      <button type="submit" className="button primary">
                        Send again
                      </button>
                      <button type="button" className="button" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </div>
                  </form>
                )}
              </div>
              <div className="row-actions">
                {action.kind === 'correct' && editing !== d.id && d.op !== 'DELETE' && (
                  <button type="button" className="button small" onClick={() => startEdit(d)}>
                    Edit and send again
                  </button>
                )}
                {action.kind === 'send_again' && d.op !== 'DELETE' && (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => resend(d.id, {}).catch(fail('Could not send it again.'))}
                  >
                    Send again
                  </button>
                )}
                {action.kind !== 'hand_over' && d.op === 'DELETE' && (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => resend(d.id, {}).catch(fail('Could not send it again.'))}
                  >
                    Delete again
                  </button>
                )}
                <button
                  type="button"
                  className="button small"
                  onClick={() => void copyText(summary).then(() => setCopied(d.id))}
                >
                  {copied === d.id ? 'Copied' : 'Copy'}
                </button>
                <button
                  type="button"
                  className="button small"
                  onClick={() => discard(d.id).catch(fail('Could not discard.'))}
                >
                  Discard
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
