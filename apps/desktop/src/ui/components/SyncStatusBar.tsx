import { useEffect, useState } from 'react';
import { ago, now } from '../clock.ts';
import { clockCopy, pendingCopy, phaseCopy, upgradeAdvice } from '../copy/sync-copy.ts';
import { useFeed } from '../hooks/useFeed.tsx';
import { useSyncStatus } from '../hooks/useSyncStatus.ts';

/** Always visible: connection, sync phase, unsent changes, last sync, conflicts, and what to do when sync is blocked. */
export function SyncStatusBar({ onSignIn }: { readonly onSignIn?: () => void }) {
  const { status, unreachable, syncNow } = useSyncStatus();
  const host = useFeed().snapshot?.device.tokenStore === 'browser' ? 'browser' : 'desktop';
  const [, tick] = useState(0);
  useEffect(() => {
    // Keeps "3 min ago" honest between feed updates.
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);

  if (unreachable) {
    return (
      <div className="status-bar tone-error" role="status" aria-live="polite">
        <span className="status-dot" aria-hidden="true" />
        <span>The ClinicSync desktop app is not running. Start it again, then reload this page.</span>
      </div>
    );
  }
  if (!status) {
    return (
      <div className="status-bar" role="status" aria-live="polite">
        Connecting…
      </div>
    );
  }

  const copy = phaseCopy(status);
  const pending = pendingCopy(status);
  return (
    <div className={`status-bar tone-${copy.tone}`} data-phase={status.phase}>
      <div className="status-main" role="status" aria-live="polite">
        <span className="status-dot" aria-hidden="true" />
        <span className="status-connection">{status.online ? 'Online' : 'Offline'}</span>
        <span className="status-sep" aria-hidden="true">
          ·
        </span>
        <span className="status-phase">{copy.label}</span>
        <span className="status-sep" aria-hidden="true">
          ·
        </span>
        <span className="status-pending" data-pending={status.pending}>
          {pending}
        </span>
        <span className="status-sep" aria-hidden="true">
          ·
        </span>
        <span className="status-last">Last sync {ago(status.lastSyncAt, now())}</span>
      </div>
      <div className="status-actions">
        {status.openConflicts > 0 && (
          <a className="status-link" href="#/conflicts">
            {status.openConflicts} conflict{status.openConflicts === 1 ? '' : 's'} to review
          </a>
        )}
        {status.held > 0 && (
          <a className="status-link" href="#/conflicts">
            {status.held} change{status.held === 1 ? '' : 's'} the server failed on
          </a>
        )}
        {status.deadLetters > 0 && (
          <a className="status-link" href="#/conflicts">
            {status.deadLetters} refused change{status.deadLetters === 1 ? '' : 's'}
          </a>
        )}
        {status.phase === 'sign_in_required' && onSignIn && (
          <button type="button" className="button small" onClick={onSignIn}>
            Sign in again
          </button>
        )}
        {status.phase !== 'sign_in_required' && status.phase !== 'upgrade_required' && (
          <button
            type="button"
            className="button small"
            onClick={() => void syncNow()}
            disabled={status.phase === 'pushing' || status.phase === 'pulling'}
          >
            Sync now
          </button>
        )}
      </div>
      {status.lastError && status.phase !== 'idle' && (
        <p className="status-error">
          {status.phase === 'upgrade_required' ? upgradeAdvice(host) : status.lastError.message}
        </p>
      )}
      {status.clockOffMs !== undefined && (
        <p className="status-clock" role="alert">
          {clockCopy(status.clockOffMs)}
        </p>
      )}
      {status.initialSync && (
        <div className="initial-sync">
          <span id="initial-sync-label">
            Downloading your organization's records… {status.initialSync.received.toLocaleString()} received
          </span>
          <div
            className="progress"
            role="progressbar"
            aria-labelledby="initial-sync-label"
            aria-valuetext={`${status.initialSync.received} records received`}
          >
            <div className="progress-bar" />
          </div>
        </div>
      )}
    </div>
  );
}
