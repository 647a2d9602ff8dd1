import type { RecordSyncView } from '../../shared/local-api.ts';
import { recordSyncCopy } from '../copy/sync-copy.ts';

/** A record's own sync state beside it: sent, not sent yet, refused, or in conflict (with a link to act on it). */
export function SyncBadge({
  state,
  showSent = false,
}: {
  readonly state: RecordSyncView | undefined;
  readonly showSent?: boolean;
}) {
  const copy = recordSyncCopy(state?.state ?? 'sent', state?.held ?? null);
  if (!state && !showSent) return null;
  return (
    <span
      className={`badge badge-${copy.tone}`}
      data-sync-state={state?.state ?? 'sent'}
      title={copy.detail ?? undefined}
    >
      {copy.label}
    </span>
  );
}
