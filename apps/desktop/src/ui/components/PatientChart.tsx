import { patients } from '@clinicsync/protocol';
import type { OrganizationView } from '../../shared/local-api.ts';
import { now } from '../clock.ts';
import { displayValue, patientName } from '../copy/record-labels.ts';
import { toLocalInput } from '../forms/form-values.ts';
import { useIncoming } from '../hooks/useIncoming.ts';
import { useRecord } from '../hooks/useRecords.ts';
import { useRecordStates } from '../hooks/useRecordStates.ts';
import { SyncBadge } from './SyncBadge.tsx';
import { useTeams } from '../hooks/useTeams.ts';
import { pastWarning } from './AppointmentBook.tsx';
import { ChartSection } from './ChartSection.tsx';
import { VitalsSection } from './VitalsSection.tsx';
import { ageOn } from '../forms/age.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { IncomingBadge } from './IncomingBadge.tsx';

const CLINICAL_ROLES = new Set(['admin', 'clinician']);

/** The next whole hour, as a form default for a new appointment. */
function nextHour(): string {
  const d = now();
  d.setMinutes(0, 0, 0);
  d.setHours(d.getHours() + 1);
  return toLocalInput(d.toISOString());
}

/** A patient's chart: demographics, appointments, vital signs and medications, each editable in place. */
export function PatientChart({ org, patientId }: { readonly org: OrganizationView; readonly patientId: string }) {
  const { data: patient, error } = useRecord('patients', patientId);
  const teams = useTeams(org.id);
  const teamOptions = (teams.data ?? []).map((t) => ({ value: t.id, label: String(t.name) }));
  const clinical = CLINICAL_ROLES.has(org.role);
  // A colleague's edit of the open chart's details is marked like a list row.
  const incoming = useIncoming(`patient|${patientId}`, patient ? [patient] : undefined);
  const states = useRecordStates('patients');

  if (error) return <ErrorNotice error={error} title="This chart cannot be shown." />;
  if (!patient) return <p aria-busy="true">Loading…</p>;

  return (
    <article className="chart" aria-labelledby="chart-title">
      <div className="page-head">
        <div>
          <a href="#/patients" className="back-link">
            ← Patients
          </a>
          <h1 id="chart-title">
            {patientName(patient)} <SyncBadge state={states.get(patient.id)} showSent />
          </h1>
          <p className="chart-identity">
            <span className="clinic-number" aria-label="Clinic number">
              {typeof patient.identifier === 'string' ? patient.identifier : 'No clinic number'}
            </span>
            {typeof patient.birth_date === 'string' && (
              <span className="chart-age"> · {ageOn(patient.birth_date, now())}</span>
            )}
          </p>
        </div>
        <div className="head-actions">
          {org.role === 'admin' && (
            <a className="button" href={`#/patients/${patient.id}/history`}>
              History
            </a>
          )}
          <a className="button primary" href={`#/patients/${patient.id}/edit`}>
            Edit details
          </a>
        </div>
      </div>
      {patient.version === 0 && (
        <p className="notice notice-info">Saved on this computer; it will be sent to the server at the next sync.</p>
      )}
      <section className={`card${incoming.has(patient.id) ? ' is-incoming' : ''}`} aria-labelledby="demographics-title">
        <h2 id="demographics-title">
          Details
          <IncomingBadge incoming={incoming.get(patient.id)} />
        </h2>
        <dl className="details">
          {Object.entries(patients.columns)
            .filter(([name]) => name !== 'organization_id')
            .map(([name, column]) => (
              <div key={name}>
                <dt>{column.label}</dt>
                <dd>
                  {displayValue(column, patient[name])}
                  {name === 'birth_date' && typeof patient.birth_date === 'string' && (
                    <span className="age"> ({ageOn(patient.birth_date, now())})</span>
                  )}
                </dd>
              </div>
            ))}
        </dl>
      </section>
      <ChartSection
        title="Appointments"
        table="appointments"
        patientId={patient.id}
        columns={['starts_at', 'team_id', 'duration_min', 'status', 'reason']}
        canWrite
        references={{ team_id: teamOptions }}
        defaults={() => ({
          starts_at: nextHour(),
          duration_min: '15',
          status: 'booked',
          team_id: teamOptions[0]?.value ?? '',
        })}
        orderBy="starts_at"
        desc
        addLabel="Book appointment"
        warnBeforeSave={async (data) => (Object.hasOwn(data, 'starts_at') ? pastWarning(data.starts_at) : null)}
      />
      <VitalsSection patientId={patient.id} canWrite={clinical} />
      <ChartSection
        title="Medications"
        table="medications"
        patientId={patient.id}
        columns={['code', 'dose', 'route', 'frequency', 'status']}
        canWrite={clinical}
        readOnlyNote="Clinicians and administrators manage medications."
        defaults={() => ({ status: 'active' })}
        orderBy="code"
        addLabel="Add medication"
      />
    </article>
  );
}
