import { VITAL_KIND_CODES, VITAL_KINDS, type VitalKind } from '@clinicsync/protocol';
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { DraftView } from '../../shared/local-api.ts';
import type { LocalRow } from '../../shared/local-api.ts';
import { LocalApiError } from '../api/local-client.ts';
import { formatDateTime, now } from '../clock.ts';
import { toLocalInput } from '../forms/form-values.ts';
import { formatVital, normalRangeText, readVital, recordedAtProblem, vitalFlags } from '../forms/vital-entry.ts';
import { useDraft } from '../hooks/useDraft.ts';
import { useInPlaceForm } from '../hooks/useInPlaceForm.ts';
import { useLocalQuery } from '../hooks/useLocalQuery.ts';
import { recordWriter, useRecords } from '../hooks/useRecords.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { EnteredInErrorReason, MarkEnteredInError } from './MarkEnteredInError.tsx';
import { VitalTrend } from './VitalTrend.tsx';

const isCoded = (kind: unknown): kind is VitalKind => typeof kind === 'string' && Object.hasOwn(VITAL_KINDS, kind);
const vitalDraftKey = (patientId: string) => `vitals:new:${patientId}`;

/**
 * The vital signs of a chart (PROTOCOL §2b): the latest value of each kind at
 * the top, a small trend per kind with its normal band, entry by kind in the
 * kind's unit, and the history, where a wrong entry is marked entered in
 * error (struck through with its reason), never deleted.
 */
export function VitalsSection({ patientId, canWrite }: { readonly patientId: string; readonly canWrite: boolean }) {
  const { data, error } = useRecords('vitals', { patient_id: patientId }, { orderBy: 'recorded_at', desc: true });
  const adding = useInPlaceForm();
  // A half-typed entry left here earlier (another screen, a reload) opens again with what was typed.
  const waitingDraft = useLocalQuery<DraftView>(
    canWrite ? `/api/drafts/${encodeURIComponent(vitalDraftKey(patientId))}` : null,
  );
  const { openForDraft } = adding;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a draft arriving is the trigger; opening is stable in effect.
  useEffect(() => {
    if (waitingDraft.data) openForDraft();
  }, [waitingDraft.data]);
  const rows = data ?? [];
  const valid = rows.filter((r) => r.entered_in_error !== true);
  const byKind = VITAL_KIND_CODES.map((code) => ({ code, rows: valid.filter((r) => r.kind === code) })).filter(
    (k) => k.rows.length > 0,
  );

  return (
    <section className="card chart-section vitals-section" aria-labelledby="section-vitals">
      <div className="section-head">
        <h2 id="section-vitals">Vital signs</h2>
        {canWrite && !adding.open && (
          <button type="button" className="button" ref={adding.buttonRef} onClick={adding.openByPerson}>
            Record vital sign
          </button>
        )}
      </div>
      {!canWrite && <p className="muted small">Clinicians and administrators record vital signs.</p>}
      {adding.open && (
        <VitalEntryForm patientId={patientId} focusOnOpen={adding.openedByPerson} onDone={adding.close} />
      )}
      <ErrorNotice error={error} />
      {byKind.length > 0 && (
        <ul className="vital-latest" aria-label="Latest vital signs">
          {byKind.map(({ code, rows: kindRows }) => {
            const latest = kindRows[0]!;
            const flags = vitalFlags(latest);
            const normal = normalRangeText(VITAL_KINDS[code]);
            return (
              <li key={code} className={flags.length > 0 ? 'vital-tile vital-abnormal' : 'vital-tile'} data-kind={code}>
                <span className="vital-label">{VITAL_KINDS[code].label}</span>
                <strong className="vital-value">{formatVital(latest)}</strong>
                {flags.length > 0 && <span className="vital-flag">{flags.join(', ')}</span>}
                {normal && <span className="muted small vital-normal">{normal}</span>}
                <span className="muted small">{formatDateTime(String(latest.recorded_at))}</span>
                <VitalTrend spec={VITAL_KINDS[code]} rows={kindRows} />
              </li>
            );
          })}
        </ul>
      )}
      {data && rows.length === 0 && !adding.open && <p className="empty">None recorded.</p>}
      {rows.length > 0 && (
        <table className="data-table vital-history">
          <caption className="visually-hidden">Every vital sign recorded, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Recorded at</th>
              <th scope="col">Kind</th>
              <th scope="col">Value</th>
              {canWrite && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <VitalRow key={row.id} row={row} canWrite={canWrite} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function VitalRow({ row, canWrite }: { readonly row: LocalRow; readonly canWrite: boolean }) {
  const wrong = row.entered_in_error === true;
  const label = isCoded(row.kind) ? VITAL_KINDS[row.kind].label : String(row.kind ?? '');
  const flags = wrong ? [] : vitalFlags(row);

  return (
    <tr className={wrong ? 'entered-in-error' : undefined}>
      <td data-label="Recorded at">{formatDateTime(String(row.recorded_at))}</td>
      <td data-label="Kind">{wrong ? <s>{label}</s> : label}</td>
      <td data-label="Value">
        {wrong ? <s>{formatVital(row)}</s> : formatVital(row)}
        {flags.length > 0 && <span className="vital-flag"> {flags.join(', ')}</span>}
        {!isCoded(row.kind) && <span className="muted small"> (recorded by an older app, not coded)</span>}
        {wrong && <EnteredInErrorReason reason={row.error_reason} />}
      </td>
      {canWrite && (
        <td className="row-actions">
          {!wrong && (
            <MarkEnteredInError
              table="vitals"
              recordId={row.id}
              what={`${label} of ${formatDateTime(String(row.recorded_at))}`}
            />
          )}
        </td>
      )}
    </tr>
  );
}

/**
 * Entry of one vital sign: the kind decides the unit and the normal range shown and how the value is read
 * ("38,2", "120/80"). What is typed is kept as a draft (`vitals:new:PATIENT`) until it is saved or cancelled.
 */
function VitalEntryForm({
  patientId,
  focusOnOpen,
  onDone,
}: {
  readonly patientId: string;
  /** Opened by the person: the kind takes the focus. */
  readonly focusOnOpen: boolean;
  readonly onDone: () => void;
}) {
  const id = useId();
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the form appears.
  useEffect(() => {
    if (focusOnOpen) document.getElementById(`${id}-kind`)?.focus();
  }, []);
  const [kind, setKind] = useState<VitalKind>('body_temperature');
  const [text, setText] = useState('');
  const [at, setAt] = useState(() => toLocalInput(now().toISOString()));
  const [error, setError] = useState<string | null>(null);
  const [atError, setAtError] = useState<string | null>(null);
  const [failure, setFailure] = useState<LocalApiError | null>(null);
  const draft = useDraft(vitalDraftKey(patientId), (restored) => {
    if (isCoded(restored.kind)) setKind(restored.kind);
    setText(restored.value ?? '');
    if (restored.recorded_at) setAt(restored.recorded_at);
  });
  const spec = VITAL_KINDS[kind];
  const reading = text.trim() === '' ? null : readVital(kind, text, now());
  const normal = normalRangeText(spec);

  const edit = (next: { kind?: VitalKind; value?: string; recorded_at?: string }) => {
    draft.save({ kind, value: text, recorded_at: at, ...next });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = readVital(kind, text, now());
    const atProblem = recordedAtProblem(at, now());
    setAtError(atProblem);
    setError(checked.kind === 'invalid' ? checked.message : null);
    if (checked.kind === 'invalid' || atProblem) {
      document.getElementById(checked.kind === 'invalid' ? `${id}-value` : `${id}-at`)?.focus();
      return;
    }
    try {
      await recordWriter.insert('vitals', {
        patient_id: patientId,
        kind,
        unit: spec.unit,
        value: checked.value,
        ...(checked.value2 !== null ? { value2: checked.value2 } : {}),
        recorded_at: new Date(at).toISOString(),
      });
      await draft.discard();
      onDone();
    } catch (failed) {
      setFailure(failed instanceof LocalApiError ? failed : new LocalApiError(0, 'internal', 'Could not save.'));
    }
  };

  const valueDescription = [
    error ? `${id}-value-error` : null,
    !error && reading?.kind === 'valid' && reading.flags.length > 0 ? `${id}-value-flag` : null,
    normal ? `${id}-value-normal` : null,
  ].filter(Boolean);

  return (
    <form className="record-form vital-entry" onSubmit={submit} noValidate aria-label="Record vital sign">
      {draft.restoredAt && (
        <p className="notice notice-info draft-notice" role="status">
          <span>Restored what you typed before ({formatDateTime(draft.restoredAt)}); it has not been saved yet.</span>
        </p>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select
            id={`${id}-kind`}
            name="kind"
            value={kind}
            onChange={(e) => {
              const next = e.target.value as VitalKind;
              setKind(next);
              setError(null);
              edit({ kind: next });
            }}
          >
            {VITAL_KIND_CODES.map((code) => (
              <option key={code} value={code}>
                {VITAL_KINDS[code].label}
              </option>
            ))}
          </select>
        </div>
        <div className={`field${error ? ' field-invalid' : ''}`}>
          <label htmlFor={`${id}-value`}>
            {spec.second ? 'Systolic/diastolic' : 'Value'} ({spec.unitLabel})
          </label>
          <input
            id={`${id}-value`}
            name="value"
            inputMode={spec.second ? 'text' : 'decimal'}
            placeholder={spec.second ? '120/80' : undefined}
            value={text}
            aria-invalid={error ? true : undefined}
            aria-describedby={valueDescription.length > 0 ? valueDescription.join(' ') : undefined}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
              edit({ value: e.target.value });
            }}
            onBlur={() => setError(reading?.kind === 'invalid' ? reading.message : null)}
          />
          {normal && (
            <p className="hint" id={`${id}-value-normal`}>
              {normal}
            </p>
          )}
          {error && (
            <p className="field-error" id={`${id}-value-error`}>
              {error}
            </p>
          )}
          {!error && reading?.kind === 'valid' && reading.flags.length > 0 && (
            <p className="field-flag" id={`${id}-value-flag`}>
              Outside the normal range: {reading.flags.join(', ')}.
            </p>
          )}
        </div>
        <div className={`field${atError ? ' field-invalid' : ''}`}>
          <label htmlFor={`${id}-at`}>Recorded at</label>
          <input
            id={`${id}-at`}
            name="recorded_at"
            type="datetime-local"
            value={at}
            onChange={(e) => {
              setAt(e.target.value);
              setAtError(null);
              edit({ recorded_at: e.target.value });
            }}
            aria-invalid={atError ? true : undefined}
            aria-describedby={atError ? `${id}-at-error` : undefined}
          />
          {atError && (
            <p className="field-error" id={`${id}-at-error`}>
              {atError}
            </p>
          )}
        </div>
      </div>
      <ErrorNotice error={failure} title="Not saved." />
      <div className="form-actions">
        <button type="submit" className="button primary">
          Save
        </button>
        <button type="button" className="button" onClick={() => void draft.discard().then(onDone)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
