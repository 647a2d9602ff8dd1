import type { MyInvitation } from '@clinicsync/protocol';
import { useState } from 'react';
import { LocalApiError } from '../api/local-client.ts';
import { enumLabel } from '../forms/registry-fields.ts';
import { useMyInvitations } from '../hooks/useMyInvitations.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

const asError = (e: unknown, fallback: string) =>
  e instanceof LocalApiError ? e : new LocalApiError(0, 'internal', fallback);

/** Invitations waiting for the signed-in person: nobody joins an organization without saying yes here. */
export function MyInvitations({ onAccepted }: { readonly onAccepted?: (organizationId: string) => void }) {
  const invitations = useMyInvitations();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<LocalApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const answer = async (invitation: MyInvitation, how: 'accept' | 'decline') => {
    setError(null);
    setDone(null);
    setBusy(invitation.invitationId);
    try {
      if (how === 'accept') {
        await invitations.accept(invitation.invitationId);
        setDone(
          `You joined ${invitation.organizationName} as ${enumLabel(invitation.role).toLowerCase()}. Its records arrive with the next sync.`,
        );
        onAccepted?.(invitation.organizationId);
      } else {
        await invitations.decline(invitation.invitationId);
        setDone(`You declined the invitation to ${invitation.organizationName}.`);
      }
    } catch (failure) {
      setError(asError(failure, 'Could not answer the invitation.'));
    } finally {
      setBusy(null);
    }
  };

  const list = invitations.data?.invitations ?? [];
  return (
    <section className="card" aria-labelledby="my-invitations-title">
      <h2 id="my-invitations-title">Invitations</h2>
      <ErrorNotice error={invitations.error ?? error} />
      {done && (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      )}
      {invitations.data && list.length === 0 && <p className="muted">No invitations are waiting for you.</p>}
      {list.length > 0 && (
        <ul className="invitation-list">
          {list.map((invitation) => (
            <li
              key={invitation.invitationId}
              className="invitation"
              aria-label={`Invitation to ${invitation.organizationName}`}
            >
              <p>
                <strong>{invitation.organizationName}</strong>: {invitation.invitedByName} invites you as{' '}
                {enumLabel(invitation.role).toLowerCase()}.
                <br />
                <span className="muted small">Open until {new Date(invitation.expiresAt).toLocaleDateString()}.</span>
              </p>
              <div className="row-actions">
                <button
                  type="button"
                  className="button small primary"
                  disabled={busy !== null}
                  onClick={() => void answer(invitation, 'accept')}
                >
                  Accept
                </button>
                <button
                  type="button"
                  className="button small"
                  disabled={busy !== null}
                  onClick={() => void answer(invitation, 'decline')}
                >
                  Decline
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
