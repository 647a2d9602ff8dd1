import { useState } from 'react';
import { LocalApiError } from '../api/local-client.ts';
import { formatDateTime } from '../clock.ts';
import { recordTitle } from '../copy/record-labels.ts';
import { refusalCopy } from '../copy/sync-copy.ts';
import { useDeadLetters } from '../hooks/useConflicts.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

/** Changes the server refused for good: shown until someone has read them and discards them. */
export function DeadLetterList() {
  const { data, error, discard } = useDeadLetters();
  const [failure, setFailure] = useState<LocalApiError | null>(null);
  if (!data || data.length === 0) return error ? <ErrorNotice error={error} /> : null;
  return (
    <section className="card" aria-labelledby="refused-title">
      <h2 id="refused-title">Changes the server refused</h2>
      <p className="muted small">These changes were not applied. Re-enter them if they are still needed, then discard the entry.</p>
      <ErrorNotice error={error ?? failure} />
      <ul className="plain-list">
        {data.map((d) => (
          <li key={d.id} className="list-row dead-letter">
            <div>
              <strong>
                {d.op === 'INSERT' ? 'New' : d.op === 'DELETE' ? 'Deletion of' : 'Change to'} {recordTitle(d.table, d.data).toLowerCase()}
              </strong>
              <br />
              <span>{refusalCopy(d.code, d.message)}</span>
              <br />
              <span className="muted small">{formatDateTime(d.createdAt)}</span>
            </div>
            <button
              type="button"
              className="button small"
              onClick={() =>
                discard(d.id).catch((e: unknown) => setFailure(e instanceof LocalApiError ? e : new LocalApiError(0, 'internal', 'Could not discard.')))
              }
            >
              Discard
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
