import { useState } from 'react';
import { LocalApiError } from '../api/local-client.ts';
import { formatDateTime } from '../clock.ts';
import { recordTitle } from '../copy/record-labels.ts';
import { useUnsentResolutions } from '../hooks/useConflicts.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

const CHOSEN: Readonly<Record<'keep_mine' | 'take_theirs' | 'merge', string>> = {
  keep_mine: 'You kept your version',
  take_theirs: "You took the server's version",
  merge: 'You saved a merge',
};

/** Conflicts just resolved: the choice is sent with the next sync and can be undone until then. */
export function UnsentResolutions() {
  const { data, error, undo } = useUnsentResolutions();
  const [failure, setFailure] = useState<LocalApiError | null>(null);
  if (!data || data.length === 0) return error ? <ErrorNotice error={error} /> : null;
  return (
    <section className="card" aria-labelledby="resolved-title">
      <h2 id="resolved-title">Resolved, not sent yet</h2>
      <ErrorNotice error={failure} />
      <ul className="plain-list">
        {data.map((r) => (
          <li key={r.conflict.id} className="list-row unsent-resolution">
            <div>
              <strong>{recordTitle(r.conflict.table, r.conflict.theirs ?? r.conflict.mine)}</strong>
              <br />
              <span>
                {CHOSEN[r.kind]} at {formatDateTime(r.resolvedAt)}.{' '}
                {r.canUndo ? 'It is sent with the next sync.' : 'It is being sent; it can no longer be undone.'}
              </span>
            </div>
            <button
              disabled={!r.canUndo}
              type="button"
              className="button small"
              onClick={() =>
                undo(r.conflict.id).then(
                  () => setFailure(null),
                  (e: unknown) =>
                    setFailure(e instanceof LocalApiError ? e : new LocalApiError(0, 'internal', 'Could not undo.')),
                )
              }
            >
              Undo
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
