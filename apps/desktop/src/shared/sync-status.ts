/**
 * The sync engine's status snapshot as the UI receives it (packages/client
 * `SyncStatus`), restated here only as far as the UI reads it so the browser
 * bundle never imports the Node-side engine.
 */
export const SYNC_PHASES = ['idle', 'pushing', 'pulling', 'backoff', 'sign_in_required', 'upgrade_required', 'offline'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

export type SyncStatusView = {
  readonly phase: SyncPhase;
  readonly online: boolean;
  readonly pending: number;
  readonly oldestPendingAt: string | null;
  readonly openConflicts: number;
  readonly deadLetters: number;
  readonly lastSyncAt: string | null;
  readonly lastPushAt: string | null;
  readonly lastPullAt: string | null;
  readonly lastError?: { readonly code: string; readonly message: string } | null;
  readonly initialSync?: { readonly received: number } | null;
};
