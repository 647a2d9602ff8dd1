import { useDeferredValue, useState } from 'react';
import type { OrganizationView } from '../../shared/local-api.ts';
import { formatDate, now } from '../clock.ts';
import { ageOn } from '../forms/age.ts';
import { patientName } from '../copy/record-labels.ts';
import { enumLabel } from '../forms/registry-fields.ts';
import { useIncoming } from '../hooks/useIncoming.ts';
import { usePatients } from '../hooks/usePatients.ts';
import { useRecordStates } from '../hooks/useRecordStates.ts';
import { SyncBadge } from './SyncBadge.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { IncomingBadge } from './IncomingBadge.tsx';

/** Search as you type (any part of a name, the clinic number or the phone however written) and open a chart. */
export function PatientList({ org }: { readonly org: OrganizationView }) {
  const [text, setText] = useState('');
  // The input stays responsive while the list catches up.
  const search = useDeferredValue(text);
  const { data, error, loading } = usePatients(org.id, search);
  const incoming = useIncoming(`${org.id}|${search}`, data);
  const states = useRecordStates('patients');

  return (
    <section aria-labelledby="patients-title">
      <div className="page-head">
        <h1 id="patients-title">Patients</h1>
        <a className="button primary" href="#/patients/new">
          Register patient
        </a>
      </div>
      <div className="field search-field">
        <label htmlFor="patient-search">Search patients</label>
        <input
          id="patient-search"
          type="search"
          placeholder="Name, clinic number or phone"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoComplete="off"
          aria-describedby="patient-count"
        />
      </div>
      <p id="patient-count" className="muted small" aria-live="polite">
        {data
          ? search
            ? `${data.length} match${data.length === 1 ? '' : 'es'}`
            : `${data.length} patient${data.length === 1 ? '' : 's'}${data.length >= 50 ? ' shown — search to find others' : ''}`
          : loading
            ? 'Loading…'
            : ''}
      </p>
      <ErrorNotice error={error} />
      {data && data.length === 0 && !search && <p className="empty">No patients yet. Register the first one.</p>}
      {data && data.length > 0 && (
        <ul className="patient-list" aria-label="Patients">
          {data.map((p) => (
            <li key={p.id}>
              <a href={`#/patients/${p.id}`} className={`patient-row${incoming.has(p.id) ? ' is-incoming' : ''}`}>
                <span className="patient-name">{patientName(p)}</span>
                {typeof p.identifier === 'string' && <span className="clinic-number">{p.identifier}</span>}
                <span className="patient-meta muted">
                  {[
                    p.birth_date
                      ? `Born ${formatDate(String(p.birth_date))} (${ageOn(String(p.birth_date), now())})`
                      : null,
                    p.sex ? enumLabel(String(p.sex)) : null,
                    p.phone ? String(p.phone) : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
                <SyncBadge state={states.get(p.id)} />
                <IncomingBadge incoming={incoming.get(p.id)} />
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
