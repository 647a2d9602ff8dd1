import type { ReactNode } from 'react';
import type { OrganizationView } from '../../shared/local-api.ts';
import { useRecord } from '../hooks/useRecords.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

/**
 * Shows a patient's screens only inside the patient's own organization. A link, the Back button after switching
 * organization or a pasted address can open a patient of another organization of this person: its chart would then
 * offer the teams and apply the role of the organization selected above, and a booking into another organization's
 * team is refused by the server later, far from the form. Instead the screen says whose patient it is and offers to
 * switch.
 */
export function PatientInOrganization({
  patientId,
  org,
  organizations,
  onSwitch,
  children,
}: {
  readonly patientId: string;
  readonly org: OrganizationView;
  readonly organizations: readonly OrganizationView[];
  readonly onSwitch: (orgId: string) => void;
  readonly children: ReactNode;
}) {
  const { data: patient, error } = useRecord('patients', patientId);
  if (error) return <ErrorNotice error={error} title="This chart cannot be shown." />;
  if (!patient) return <p aria-busy="true">Loading…</p>;
  if (patient.organization_id === org.id) return children;
  const home = organizations.find((o) => o.id === patient.organization_id);
  return (
    <div className="notice notice-info" role="status">
      <p>
        {home
          ? `This patient is registered with ${home.name}. You are working in ${org.name}.`
          : `This patient is not registered with ${org.name}.`}
      </p>
      <div className="form-actions">
        {home && (
          <button type="button" className="button primary" onClick={() => onSwitch(home.id)}>
            Switch to {home.name}
          </button>
        )}
        <a className="button" href="#/patients">
          Back to the patients of {org.name}
        </a>
      </div>
    </div>
  );
}
