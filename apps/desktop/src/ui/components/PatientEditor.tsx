import type { LikelyDuplicate } from '@clinicsync/client';
import type { OrganizationView } from '../../shared/local-api.ts';
import { api, query } from '../api/local-client.ts';
import { formatDate } from '../clock.ts';
import { patientName } from '../copy/record-labels.ts';
import { navigate } from '../hooks/useRoute.ts';
import { useRecord } from '../hooks/useRecords.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { RecordForm } from './RecordForm.tsx';

/** Patients already in the store who are likely this person (docs/patient-search.md). */
async function likelyDuplicates(
  orgId: string,
  data: Readonly<Record<string, unknown>>,
  excludeId?: string,
): Promise<LikelyDuplicate[]> {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return api.get<LikelyDuplicate[]>(
    `/api/orgs/${encodeURIComponent(orgId)}/patients/duplicates${query({ given_name: text(data.given_name), family_name: text(data.family_name), birth_date: text(data.birth_date), phone: text(data.phone), exclude: excludeId })}`,
  );
}

/**
 * Registration (no id) or editing of a patient's details, with the form generated from the registry. The clinic
 * number is given by the device (docs/clinic-numbers.md), so it is not in the form; likely duplicates are shown
 * before saving.
 */
export function PatientEditor({
  org,
  patientId,
}: {
  readonly org: OrganizationView;
  readonly patientId: string | null;
}) {
  const { data: patient, error } = useRecord('patients', patientId);
  if (patientId && error) return <ErrorNotice error={error} />;
  if (patientId && !patient) return <p aria-busy="true">Loading…</p>;
  const title = patient ? `Edit ${patientName(patient)}` : 'Register patient';

  const warn = async (data: Readonly<Record<string, unknown>>) => {
    const merged = { ...(patient ?? {}), ...data };
    const found = await likelyDuplicates(org.id, merged, patient?.id);
    if (found.length === 0) return null;
    return (
      <>
        <p>
          <strong>This may be a patient who is already registered.</strong> Check before saving a second record:
        </p>
        <ul className="duplicate-list">
          {found.map((d) => (
            <li key={d.patient.id}>
              <a href={`#/patients/${d.patient.id}`}>{patientName(d.patient)}</a>
              {typeof d.patient.identifier === 'string' && (
                <span className="clinic-number"> {d.patient.identifier}</span>
              )}
              {typeof d.patient.birth_date === 'string' && <span> · born {formatDate(d.patient.birth_date)}</span>}
              <span className="muted small">
                {' '}
                — {d.reasons.map((r) => (r === 'same_phone' ? 'same phone' : 'same names and birth date')).join(', ')}
              </span>
            </li>
          ))}
        </ul>
      </>
    );
  };

  return (
    <section className="card form-page" aria-labelledby="editor-title">
      <a href={patient ? `#/patients/${patient.id}` : '#/patients'} className="back-link">
        ← {patient ? 'Chart' : 'Patients'}
      </a>
      <h1 id="editor-title">{title}</h1>
      <RecordForm
        key={patient?.id ?? 'new'}
        table="patients"
        row={patient ?? null}
        fixed={{ organization_id: org.id }}
        omit={['identifier']}
        submitLabel={patient ? 'Save changes' : 'Register patient'}
        draftKey={patient ? `patients:edit:${patient.id}` : `patients:new:${org.id}`}
        warnBeforeSave={warn}
        onSaved={(row) => navigate(`/patients/${row.id}`)}
        onCancel={() => navigate(patient ? `/patients/${patient.id}` : '/patients')}
      />
    </section>
  );
}
