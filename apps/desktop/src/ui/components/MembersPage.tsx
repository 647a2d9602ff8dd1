import { ROLES, type Role } from '@clinicsync/protocol';
import { useEffect, useState, type FormEvent } from 'react';
import type { MemberView, OrganizationView } from '../../shared/local-api.ts';
import { LocalApiError } from '../api/local-client.ts';
import { enumLabel } from '../forms/registry-fields.ts';
import { useMembers, useOrgInvitations } from '../hooks/useMembers.ts';
import { recordWriter } from '../hooks/useRecords.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { TeamsPanel } from './TeamsPanel.tsx';

const asError = (e: unknown, fallback: string) =>
  e instanceof LocalApiError ? e : new LocalApiError(0, 'internal', fallback);

/** Administrators invite colleagues by email (they accept on their own device), change their role, or remove them; and manage teams. */
export function MembersPage({ org }: { readonly org: OrganizationView }) {
  const members = useMembers(org.id);
  const invitations = useOrgInvitations(org.id);
  // Someone joining answered an invitation: the pending list is asked again, so it never shows them as still invited.
  const memberCount = members.data?.length;
  const reloadInvitations = invitations.reload;
  useEffect(() => {
    if (memberCount !== undefined) reloadInvitations();
  }, [memberCount, reloadInvitations]);
  const [withdrawError, setWithdrawError] = useState<LocalApiError | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('clinician');
  const [busy, setBusy] = useState(false);
  const [addError, setAddError] = useState<LocalApiError | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [rowError, setRowError] = useState<LocalApiError | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);

  const admins = (members.data ?? []).filter((m) => m.row.role === 'admin').length;
  const isLastAdmin = (m: MemberView) => m.row.role === 'admin' && admins <= 1;

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setAddError(null);
    setAdded(null);
    if (!email.trim()) {
      setAddError(new LocalApiError(400, 'invalid_request', 'Enter the email address of the person to invite.'));
      return;
    }
    setBusy(true);
    try {
      await invitations.invite({ email: email.trim(), role });
      setAdded(
        `Invitation sent to ${email.trim()} as ${enumLabel(role).toLowerCase()}. They join once they accept it.`,
      );
      setEmail('');
    } catch (error) {
      setAddError(asError(error, 'Could not send the invitation.'));
    } finally {
      setBusy(false);
    }
  };

  const changeRole = async (m: MemberView, next: Role) => {
    setRowError(null);
    try {
      await recordWriter.update('members', m.row.id, { role: next });
    } catch (error) {
      setRowError(asError(error, 'Could not change the role.'));
    }
  };

  const withdraw = async (invitationId: string) => {
    setWithdrawError(null);
    try {
      await invitations.withdraw(invitationId);
    } catch (error) {
      setWithdrawError(asError(error, 'Could not withdraw the invitation.'));
    }
  };

  const remove = async (m: MemberView) => {
    setRowError(null);
    try {
      await recordWriter.remove('members', m.row.id);
      setConfirmRemove(null);
    } catch (error) {
      setRowError(asError(error, 'Could not remove the member.'));
    }
  };

  return (
    <section aria-labelledby="members-title">
      <div className="page-head">
        <h1 id="members-title">Members and teams</h1>
      </div>
      <section className="card" aria-labelledby="add-member-title">
        <h2 id="add-member-title">Invite a member</h2>
        <p className="muted small">
          The person accepts the invitation on their own device, with an account for this email (they can create it
          later). Inviting needs a connection to the server.
        </p>
        <form className="inline-form" onSubmit={add} noValidate>
          <div className="field">
            <label htmlFor="member-email">Email</label>
            <input
              id="member-email"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoComplete="off"
            />
          </div>
          <div className="field">
            <label htmlFor="member-role">Role</label>
            <select id="member-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {enumLabel(r)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send invitation'}
          </button>
        </form>
        <ErrorNotice error={addError} />
        {added && (
          <p className="notice notice-ok" role="status">
            {added}
          </p>
        )}
      </section>

      <section className="card" aria-labelledby="invitation-list-title">
        <h2 id="invitation-list-title">Pending invitations</h2>
        <ErrorNotice error={invitations.error ?? withdrawError} />
        {invitations.data && invitations.data.invitations.length === 0 && (
          <p className="muted">No invitations are waiting for an answer.</p>
        )}
        {(invitations.data?.invitations.length ?? 0) > 0 && (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Open until</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.data!.invitations.map((invitation) => (
                <tr key={invitation.invitationId}>
                  <td data-label="Email">{invitation.email}</td>
                  <td data-label="Role">{enumLabel(invitation.role)}</td>
                  <td data-label="Open until">{new Date(invitation.expiresAt).toLocaleDateString()}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button small"
                      aria-label={`Withdraw the invitation of ${invitation.email}`}
                      onClick={() => void withdraw(invitation.invitationId)}
                    >
                      Withdraw
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="member-list-title">
        <h2 id="member-list-title">Members</h2>
        <ErrorNotice error={members.error ?? rowError} />
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(members.data ?? []).map((m) => (
              <tr key={m.row.id}>
                <td data-label="Name">
                  {m.name ?? 'A member'}
                  {m.isMe && <span className="muted small"> (you)</span>}
                  {m.row.version === 0 && <span className="badge badge-pending">Not synced yet</span>}
                </td>
                <td data-label="Role">
                  <label className="visually-hidden" htmlFor={`role-${m.row.id}`}>
                    Role of {m.name ?? 'member'}
                  </label>
                  <select
                    id={`role-${m.row.id}`}
                    value={String(m.row.role)}
                    disabled={isLastAdmin(m)}
                    onChange={(e) => void changeRole(m, e.target.value as Role)}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {enumLabel(r)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="row-actions">
                  {isLastAdmin(m) ? (
                    <span className="muted small">Last administrator</span>
                  ) : confirmRemove === m.row.id ? (
                    <>
                      <button type="button" className="button small danger" onClick={() => void remove(m)}>
                        Confirm removal
                      </button>
                      <button type="button" className="button small" onClick={() => setConfirmRemove(null)}>
                        Cancel
                      </button>
                    </>
                  ) : (
                    <button type="button" className="button small" onClick={() => setConfirmRemove(m.row.id)}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <TeamsPanel org={org} />
    </section>
  );
}
