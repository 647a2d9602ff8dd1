import { TABLES, isTableName, type AuditEntry, type TableSpec } from '@clinicsync/protocol';
import type { OrganizationView } from '../../shared/local-api.ts';
import { formatDateTime } from '../clock.ts';
import { displayValue, patientName } from '../copy/record-labels.ts';
import { useRecordHistory } from '../hooks/useRecordHistory.ts';
import { useRecord } from '../hooks/useRecords.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

const OP_LABEL: Readonly<Record<AuditEntry['op'], string>> = {
  INSERT: 'Created',
  UPDATE: 'Changed',
  DELETE: 'Deleted',
};

function changedFields(entry: AuditEntry): string[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null),
  );
}

/** Who changed a patient record, when, from which device, and what changed (the server's audit trail; administrators). */
export function RecordHistory({
  org,
  table,
  recordId,
}: {
  readonly org: OrganizationView;
  readonly table: 'patients';
  readonly recordId: string;
}) {
  const { data: record } = useRecord(table, recordId);
  const history = useRecordHistory(org.id, table, recordId);
  const spec: TableSpec | null = isTableName(table) ? TABLES[table] : null;

  return (
    <section aria-labelledby="history-title">
      <a href={`#/patients/${recordId}`} className="back-link">
        ← Chart
      </a>
      <h1 id="history-title">History of {patientName(record)}</h1>
      <p className="muted">
        Every change the server accepted, newest first. Changes not yet synced from any device are not listed.
      </p>
      <ErrorNotice error={history.error} />
      {!history.loading && history.entries.length === 0 && !history.error && (
        <p className="empty">No changes recorded on the server yet.</p>
      )}
      <ol className="history-list">
        {history.entries.map((entry) => (
          <li key={`${entry.version}-${entry.at}`} className="card history-entry">
            <p>
              <strong>{OP_LABEL[entry.op]}</strong> by {entry.userName ?? 'a former user'} ·{' '}
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> · version {entry.version}
            </p>
            {entry.op === 'UPDATE' && (
              <table className="data-table compare-table">
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                  </tr>
                </thead>
                <tbody>
                  {changedFields(entry).map((field) => (
                    <tr key={field}>
                      <th scope="row">{spec?.columns[field]?.label ?? field}</th>
                      <td data-label="Before">{displayValue(spec?.columns[field], entry.before?.[field])}</td>
                      <td data-label="After">{displayValue(spec?.columns[field], entry.after?.[field])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ol>
      {history.nextCursor && (
        <button type="button" className="button" onClick={() => void history.loadMore()} disabled={history.loading}>
          Show older changes
        </button>
      )}
    </section>
  );
}
