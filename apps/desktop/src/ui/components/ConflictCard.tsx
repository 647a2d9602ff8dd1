import { TABLES, isTableName, type TableSpec } from '@clinicsync/protocol';
import { useMemo, useState } from 'react';
import type { ConflictView, ResolveConflictBody } from '../../shared/local-api.ts';
import { LocalApiError } from '../api/local-client.ts';
import { formatDateTime } from '../clock.ts';
import { displayValue, recordTitle } from '../copy/record-labels.ts';
import type { FieldErrors } from '../forms/form-values.ts';
import {
  checkMerge,
  choicesFromDraft,
  choicesToDraft,
  choiceText,
  initialChoices,
  sameValue,
  type MergeChoice,
  type MergeSides,
} from '../forms/merge-values.ts';
import { formFields } from '../forms/registry-fields.ts';
import { useDraft } from '../hooks/useDraft.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { MergeField } from './MergeField.tsx';

type Props = { readonly conflict: ConflictView; readonly onResolve: (body: ResolveConflictBody) => Promise<unknown> };

/**
 * One conflict: this device's version beside the server's, field by field, with merge / keep mine / take theirs.
 * No one-click choice that overwrites a person's change is emphasised (docs/clinic-app-ui.md, "The conflict
 * inbox"); a merge being typed is kept as a local draft until the conflict is resolved.
 */
export function ConflictCard({ conflict, onResolve }: Props) {
  const spec: TableSpec | null = isTableName(conflict.table) ? TABLES[conflict.table] : null;
  // Scope references never change after insert; showing their ids would only add noise.
  const columns = spec
    ? Object.entries(spec.columns).filter(
        ([name, column]) => !(column.type === 'uuid' && spec.immutable.includes(name)),
      )
    : [];
  const differing = columns
    .map(([name]) => name)
    .filter((name) => !sameValue(conflict.mine?.[name], conflict.theirs?.[name]));
  const sides: MergeSides = {
    mine: conflict.mine ?? {},
    theirs: conflict.theirs ?? {},
    changedHere: conflict.changedHere,
  };
  const inputs = useMemo(() => (spec ? formFields(spec) : []), [spec]);
  const startChoices = () => initialChoices(differing, conflict.changedHere, conflict.conflictingFields);
  const canMerge = spec !== null && conflict.mine !== null && conflict.theirs !== null;
  const [merging, setMerging] = useState(false);
  const [choices, setChoices] = useState<Record<string, MergeChoice>>(startChoices);
  // What was chosen and typed in a merge, kept like a form's draft (survives leaving the inbox and a restart).
  const draft = useDraft(canMerge ? `conflicts:merge:${conflict.id}` : undefined, (restored) => {
    setChoices(choicesFromDraft(restored, differing, startChoices()));
    setMerging(true);
  });
  const [mergeErrors, setMergeErrors] = useState<FieldErrors>({});
  const [triedMerge, setTriedMerge] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LocalApiError | null>(null);
  const titleId = `conflict-${conflict.id}`;
  const conflicting = new Set(conflict.conflictingFields);
  const labelOf = (name: string) => spec?.columns[name]?.label ?? name;
  const inConflict = conflict.conflictingFields.map(labelOf);
  const mineOnly = (conflict.changedHere ?? []).filter((f) => !conflicting.has(f)).map(labelOf);

  const act = async (body: ResolveConflictBody) => {
    setBusy(true);
    setError(null);
    try {
      await onResolve(body);
      // Resolved: the merge typed for it has done its work.
      await draft.discard();
    } catch (failure) {
      setError(
        failure instanceof LocalApiError
          ? failure
          : new LocalApiError(0, 'internal', 'Could not resolve the conflict.'),
      );
      setBusy(false);
    }
  };

  const choose = (field: string, next: MergeChoice) => {
    const all = { ...choices, [field]: next };
    setChoices(all);
    draft.save(choicesToDraft(all));
    if (triedMerge && spec) {
      const check = checkMerge(spec, differing, all, sides);
      setMergeErrors(check.kind === 'invalid' ? check.errors : {});
    }
  };

  const forgetMerge = () => {
    void draft.discard();
    setChoices(startChoices());
    setMergeErrors({});
    setTriedMerge(false);
  };

  const merge = () => {
    if (!spec) return;
    setTriedMerge(true);
    const check = checkMerge(spec, differing, choices, sides);
    switch (check.kind) {
      case 'invalid':
        setMergeErrors(check.errors);
        return;
      case 'same_as_server':
        setMergeErrors({});
        void act({ kind: 'take_theirs' });
        return;
      case 'valid':
        setMergeErrors({});
        void act({ kind: 'merge', data: check.data });
        return;
    }
  };

  const changedNote = (name: string) => {
    if (conflict.changedHere === null) return null;
    return conflict.changedHere.includes(name) ? 'changed on this device' : 'changed on the server';
  };

  // What each choice will do, said before the click (docs/conflict-resolution.md).
  const plan =
    conflict.op === 'DELETE'
      ? `This device deleted this record; the server changed ${inConflict.length > 0 ? inConflict.join(', ') : 'it'} since. Keep mine deletes it; take theirs keeps it as the server has it.`
      : `${inConflict.length > 0 ? `In conflict: ${inConflict.join(', ')}. Keep mine sends your ${inConflict.join(', ')} over the server's; take theirs keeps the server's and drops yours; merge lets you choose field by field.` : 'No field holds two different values.'}${
          mineOnly.length > 0 ? ` Your other changes (${mineOnly.join(', ')}) are sent either way.` : ''
        } The server's other changes stay.`;

  return (
    <article className="card conflict-card" aria-labelledby={titleId}>
      <h2 id={titleId}>{recordTitle(conflict.table, conflict.theirs ?? conflict.mine)}</h2>
      <p className="muted small">
        Changed on this device and on the server since {formatDateTime(conflict.createdAt)}. Nothing has been
        overwritten; choose what to keep.
      </p>
      <table className="data-table compare-table">
        <caption className="visually-hidden">This device compared with the server</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">This device</th>
            <th scope="col">Server</th>
            {merging && <th scope="col">Keep</th>}
          </tr>
        </thead>
        <tbody>
          {columns.map(([name, column]) => {
            const differs = differing.includes(name);
            const clash = conflicting.has(name);
            return (
              <tr
                key={name}
                className={clash ? 'differs in-conflict' : differs ? 'differs' : undefined}
                data-conflicting={clash ? 'true' : undefined}
              >
                <th scope="row">
                  {column.label}
                  {clash && <span className="conflict-tag">In conflict</span>}
                  {differs &&
                    !clash &&
                    (changedNote(name) ? (
                      <span className="change-note">{changedNote(name)}</span>
                    ) : (
                      <span className="visually-hidden"> (differs)</span>
                    ))}
                </th>
                <td data-label="This device">
                  {conflict.mine ? displayValue(column, conflict.mine[name], conflict.mine) : 'Deleted here'}
                </td>
                <td data-label="Server">
                  {conflict.theirs
                    ? displayValue(column, conflict.theirs[name], conflict.theirs)
                    : 'Deleted on the server'}
                </td>
                {merging && (
                  <td data-label="Keep">
                    {differs && spec ? (
                      <MergeField
                        idPrefix={`merge-${conflict.id}-${name}`}
                        label={column.label}
                        field={inputs.find((f) => f.name === name)}
                        choice={choices[name] ?? { source: 'mine' }}
                        text={choiceText(spec, name, choices[name] ?? { source: 'mine' }, sides)}
                        error={mergeErrors[name]}
                        onChoose={(source) => choose(name, { source })}
                        onType={(text) => choose(name, { source: 'typed', text })}
                      />
                    ) : (
                      <span className="muted small">Same</span>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="resolution-plan small">{plan}</p>
      {draft.restoredAt && (
        <p className="notice notice-info draft-notice" role="status">
          <span>Restored the merge you started ({formatDateTime(draft.restoredAt)}); it has not been saved yet.</span>
          <button
            type="button"
            className="button small"
            onClick={() => {
              forgetMerge();
              setMerging(false);
            }}
          >
            Discard draft
          </button>
        </p>
      )}
      <ErrorNotice error={error} />
      <div className="form-actions">
        {!merging ? (
          <>
            {/* Merging loses nothing, so it is the one emphasised choice; keep mine and take theirs each
                overwrite someone's change and stay plain, beside the plan that says what they overwrite. */}
            {canMerge && (differing.length > 1 || conflicting.size > 0) && (
              <button type="button" className="button primary" disabled={busy} onClick={() => setMerging(true)}>
                Merge…
              </button>
            )}
            <button type="button" className="button" disabled={busy} onClick={() => void act({ kind: 'keep_mine' })}>
              Keep mine
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => void act({ kind: 'take_theirs' })}>
              Take theirs
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button primary" disabled={busy} onClick={merge}>
              Save merge
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                forgetMerge();
                setMerging(false);
              }}
            >
              Cancel merge
            </button>
          </>
        )}
      </div>
    </article>
  );
}
