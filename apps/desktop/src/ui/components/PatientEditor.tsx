import type { OrganizationView } from '../../shared/local-api.ts';
import { patientName } from '../copy/record-labels.ts';
import { navigate } from '../hooks/useRoute.ts';
import { useRecord } from '../hooks/useRecords.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { RecordForm } from './RecordForm.tsx';

/** Registration (no id) or editing of a patient's details, with the form generated from the registry. */
export function PatientEditor({ org, patientId }: { readonly org: OrganizationView; readonly patientId: string | null }) {
  const { data: patient, error } = useRecord('patients', patientId);
  if (patientId && error) return <ErrorNotice error={error} />;
  if (patientId && !patient) return <p aria-busy="true">Loading…</p>;
  const title = patient ? `Edit ${patientName(patient)}` : 'Register patient';
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
        submitLabel={patient ? 'Save changes' : 'Register patient'}
        draftKey={patient ? `patients:edit:${patient.id}` : `patients:new:${org.id}`}
        onSaved={(row) => navigate(`/patients/${row.id}`)}
        onCancel={() => navigate(patient ? `/patients/${patient.id}` : '/patients')}
      />
    </section>
  );
}
