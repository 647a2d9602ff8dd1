import { TABLES, isTableName, type TableSpec } from '@clinicsync/protocol';
import { useState } from 'react';
import type { ConflictView, ResolveConflictBody } from '../../shared/local-api.ts';
import { LocalApiError } from '../api/local-client.ts';
import { formatDateTime } from '../clock.ts';
import { displayValue, recordTitle } from '../copy/record-labels.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

type Props = { readonly conflict: ConflictView; readonly onResolve: (body: ResolveConflictBody) => Promise<unknown> };

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** One conflict: this device's version beside the server's, field by field, with keep mine / take theirs / merge. */
export function ConflictCard({ conflict, onResolve }: Props) {
  const spec: TableSpec | null = isTableName(conflict.table) ? TABLES[conflict.table] : null;
  // Scope references never change after insert; showing their ids would only add noise.
  const columns = spec ? Object.entries(spec.columns).filter(([name, column]) => !(column.type === 'uuid' && spec.immutable.includes(name))) : [];
  const differing = columns.map(([name]) => name).filter((name) => !same(conflict.mine?.[name], conflict.theirs?.[name]));
  const [merging, setMerging] = useState(false);
  const [choice, setChoice] = useState<Record<string, 'mine' | 'theirs'>>(() => Object.fromEntries(differing.map((f) => [f, 'mine'])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LocalApiError | null>(null);
  const titleId = `conflict-${conflict.id}`;

  const act = async (body: ResolveConflictBody) => {
    setBusy(true);
    setError(null);
    try {
      await onResolve(body);
    } catch (failure) {
      setError(failure instanceof LocalApiError ? failure : new LocalApiError(0, 'internal', 'Could not resolve the conflict.'));
      setBusy(false);
    }
  };

  const merge = () => {
    const data: Record<string, unknown> = {};
    for (const field of differing) data[field] = (choice[field] === 'theirs' ? conflict.theirs?.[field] : conflict.mine?.[field]) ?? null;
    void act({ kind: 'merge', data });
  };

  return (
    <article className="card conflict-card" aria-labelledby={titleId}>
      <h2 id={titleId}>{recordTitle(conflict.table, conflict.theirs ?? conflict.mine)}</h2>
      <p className="muted small">
        Changed on this device and on the server since {formatDateTime(conflict.createdAt)}. Nothing has been overwritten; choose what to keep.
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
            return (
              <tr key={name} className={differs ? 'differs' : undefined}>
                <th scope="row">
                  {column.label}
                  {differs && <span className="visually-hidden"> (differs)</span>}
                </th>
                <td data-label="This device">{conflict.mine ? displayValue(column, conflict.mine[name]) : 'Deleted here'}</td>
                <td data-label="Server">{conflict.theirs ? displayValue(column, conflict.theirs[name]) : 'Deleted on the server'}</td>
                {merging && (
                  <td>
                    {differs ? (
                      <fieldset className="merge-choice">
                        <legend className="visually-hidden">Keep which {column.label}</legend>
                        <label>
                          <input type="radio" name={`${conflict.id}-${name}`} checked={choice[name] !== 'theirs'} onChange={() => setChoice((c) => ({ ...c, [name]: 'mine' }))} /> Mine
                        </label>
                        <label>
                          <input type="radio" name={`${conflict.id}-${name}`} checked={choice[name] === 'theirs'} onChange={() => setChoice((c) => ({ ...c, [name]: 'theirs' }))} /> Server
                        </label>
                      </fieldset>
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
      <ErrorNotice error={error} />
      <div className="form-actions">
        {!merging ? (
          <>
            <button type="button" className="button primary" disabled={busy} onClick={() => void act({ kind: 'keep_mine' })}>
              Keep mine
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => void act({ kind: 'take_theirs' })}>
              Take theirs
            </button>
            {conflict.mine && conflict.theirs && differing.length > 1 && (
              <button type="button" className="button" disabled={busy} onClick={() => setMerging(true)}>
                Merge…
              </button>
            )}
          </>
        ) : (
          <>
            <button type="button" className="button primary" disabled={busy} onClick={merge}>
              Save merge
            </button>
            <button type="button" className="button" onClick={() => setMerging(false)}>
              Cancel
            </button>
          </>
        )}
      </div>
    </article>
  );
}
