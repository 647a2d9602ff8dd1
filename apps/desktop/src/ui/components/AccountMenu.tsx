import type { User } from '@clinicsync/protocol';
import { useState } from 'react';
import { LocalApiError } from '../api/local-client.ts';
import { useSession } from '../hooks/useSession.ts';
import { flushDrafts } from '../hooks/useDraft.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

/** The signed-in person, sign out, and sign out while stopping this device's sync (with a confirmation step). */
export function AccountMenu({ user }: { readonly user: User }) {
  const { signOut, lock, stopSyncing, device } = useSession();
  const [open, setOpen] = useState(false);
  const [confirmStop, setConfirmStop] = useState(false);
  const [error, setError] = useState<LocalApiError | null>(null);

  const stop = async () => {
    setError(null);
    try {
      await stopSyncing();
    } catch (failure) {
      setError(
        failure instanceof LocalApiError ? failure : new LocalApiError(0, 'internal', 'Could not stop syncing.'),
      );
    }
  };

  const close = () => {
    setOpen(false);
    setConfirmStop(false);
    document.getElementById('account-button')?.focus();
  };

  return (
    <div className="account-menu" onKeyDown={(e) => e.key === 'Escape' && open && close()}>
      <button
        id="account-button"
        type="button"
        className="button ghost"
        aria-expanded={open}
        aria-controls="account-panel"
        onClick={() => (open ? close() : setOpen(true))}
      >
        {user.name}
      </button>
      {open && (
        <div id="account-panel" className="account-panel card" role="group" aria-label="Account">
          <p className="muted small">
            Signed in as {user.email}
            {device && (
              <>
                <br />
                This device: {device.deviceName}
              </>
            )}
          </p>
          <button type="button" className="button" onClick={() => void flushDrafts().then(lock)}>
            Lock now
          </button>
          <button type="button" className="button" onClick={() => void signOut()}>
            Sign out
          </button>
          {!confirmStop ? (
            <button type="button" className="button danger-outline" onClick={() => setConfirmStop(true)}>
              Sign out and stop syncing this device
            </button>
          ) : (
            <div className="confirm" role="alertdialog" aria-labelledby="stop-title">
              <p id="stop-title">
                This device will stop syncing and its sync access is revoked. Changes not yet sent stay on this computer
                until someone signs in again.
              </p>
              <button type="button" className="button danger" onClick={() => void stop()}>
                Stop syncing and sign out
              </button>
              <button type="button" className="button" onClick={() => setConfirmStop(false)}>
                Cancel
              </button>
            </div>
          )}
          <ErrorNotice error={error} />
        </div>
      )}
    </div>
  );
}
