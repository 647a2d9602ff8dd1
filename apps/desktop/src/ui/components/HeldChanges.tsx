import { formatDateTime } from '../clock.ts';
import { useHeldChanges } from '../hooks/useConflicts.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

const OPS: Readonly<Record<string, string>> = { INSERT: 'New', UPDATE: 'Change to', DELETE: 'Deletion of' };

/** Changes the server failed on every time: kept on this computer, retried by themselves, shown with why. */
export function HeldChanges() {
  const { data, error } = useHeldChanges();
  if (!data || data.length === 0) return error ? <ErrorNotice error={error} /> : null;
  return (
    <section className="card" aria-labelledby="held-title">
      <h2 id="held-title">Changes the server could not take yet</h2>
      <p className="muted small">
        The server failed on these changes each time they were sent. They are kept on this computer and sent again by
        themselves; everything else keeps syncing.
      </p>
      <ul className="plain-list">
        {data.map((h) => (
          <li key={h.eventId} className="list-row held-change">
            <div>
              <strong>
                {OPS[h.op] ?? 'Change to'} {h.subject.label}
                {h.subject.patientName ? ` ${h.table === 'patients' ? '' : 'of '}${h.subject.patientName}` : ''}
              </strong>
              <br />
              <span>{h.message}</span>
              <br />
              <span className="muted small">
                Tried {h.attempts} time{h.attempts === 1 ? '' : 's'}; next try {formatDateTime(h.retryAt)}.
              </span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
