import { useState } from 'react';
import type { OrganizationView } from '../../shared/local-api.ts';
import { LocalApiError } from '../api/local-client.ts';
import { enumLabel } from '../forms/registry-fields.ts';
import { leaveOrganization } from '../hooks/useMyInvitations.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { MyInvitations } from './MyInvitations.tsx';

/** The signed-in person's organizations (leave one) and the invitations waiting for them (accept or decline). */
export function OrganizationsPage({
  organizations,
  onSwitch,
}: {
  readonly organizations: readonly OrganizationView[];
  readonly onSwitch: (orgId: string) => void;
}) {
  const [confirm, setConfirm] = useState<string | null>(null);
  const [error, setError] = useState<LocalApiError | null>(null);

  const leave = async (org: OrganizationView) => {
    setError(null);
    try {
      await leaveOrganization(org.id);
      setConfirm(null);
    } catch (failure) {
      setError(
        failure instanceof LocalApiError
          ? failure
          : new LocalApiError(0, 'internal', 'Could not leave the organization.'),
      );
    }
  };

  return (
    <section aria-labelledby="organizations-title">
      <div className="page-head">
        <h1 id="organizations-title">Your organizations</h1>
      </div>
      <MyInvitations onAccepted={onSwitch} />
      <section className="card" aria-labelledby="memberships-title">
        <h2 id="memberships-title">Memberships</h2>
        <p className="muted small">
          Leaving removes the organization's records from this computer after the next sync. The last administrator must
          hand over first.
        </p>
        <ErrorNotice error={error} />
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Organization</th>
              <th scope="col">Your role</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {organizations.map((org) => (
              <tr key={org.id}>
                <td data-label="Organization">{org.name}</td>
                <td data-label="Your role">{enumLabel(org.role)}</td>
                <td className="row-actions">
                  {confirm === org.id ? (
                    <>
                      <button type="button" className="button small danger" onClick={() => void leave(org)}>
                        Confirm leaving {org.name}
                      </button>
                      <button type="button" className="button small" onClick={() => setConfirm(null)}>
                        Cancel
                      </button>
                    </>
                  ) : (
                    <button type="button" className="button small" onClick={() => setConfirm(org.id)}>
                      Leave organization
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}
