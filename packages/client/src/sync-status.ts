/**
 * The sync status as an immutable snapshot a status bar renders as it is
 * (docs/style.md §7). Every change goes through the pure reducer `nextStatus`; the
 * status store only keeps the current snapshot and tells its listeners.
 */
import { assertNever } from '@clinicsync/protocol';
import { clockOffForStatus } from './clock-offset.ts';
import type { LocalCounts } from './store/outbox.ts';

export const SYNC_PHASES = [
  'idle',
  'pushing',
  'pulling',
  'backoff',
  'sign_in_required',
  'upgrade_required',
  'offline',
] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

export type SyncError = { readonly code: string; readonly message: string; readonly at: string };

export type SyncStatus = {
  readonly phase: SyncPhase;
  /** False after a network error or timeout, until a request gets through again. */
  readonly online: boolean;
  readonly pending: number;
  readonly oldestPendingAt: string | null;
  readonly openConflicts: number;
  readonly deadLetters: number;
  /** Unsent changes held back because the server failed on each of them alone (shown with their reasons by `heldChanges()`). */
  readonly held: number;
  readonly lastSyncAt: string | null;
  readonly lastPushAt: string | null;
  readonly lastPullAt: string | null;
  readonly lastError?: SyncError;
  /** Present while the first full pull of this store is running. */
  readonly initialSync?: { readonly received: number };
  /**
   * Present while this device's clock is off the server's by CLOCK_OFF_AFTER_MS or more: this clock minus the
   * server's, in whole minutes (positive: ahead). Times recorded here are then wrong (clock-offset.ts).
   */
  readonly clockOffMs?: number;
};

/** What a failed request means for the loops (see classify-failure.ts). */
export type FailureAction = 'backoff' | 'sign_in' | 'upgrade' | 'full_resync' | 'report_bug';

export type StatusEvent =
  | { readonly type: 'counts'; readonly counts: LocalCounts }
  | { readonly type: 'push_started' }
  | { readonly type: 'pushed'; readonly at: string }
  | { readonly type: 'pull_started'; readonly initial: boolean }
  | { readonly type: 'pulled_page'; readonly received: number }
  | { readonly type: 'pulled'; readonly at: string }
  | { readonly type: 'synced'; readonly at: string }
  | { readonly type: 'failed'; readonly action: FailureAction; readonly offline: boolean; readonly error: SyncError }
  | { readonly type: 'online' }
  /** An answer said the server's time: this clock minus the server's. */
  | { readonly type: 'clock'; readonly offsetMs: number }
  | { readonly type: 'resumed' }
  | { readonly type: 'stopped' };

export type StatusRestore = Pick<SyncStatus, 'lastSyncAt' | 'lastPushAt' | 'lastPullAt'> & {
  readonly counts: LocalCounts;
};

/** The status of a freshly opened engine. */
export function initialStatus(restore: StatusRestore): SyncStatus {
  return {
    phase: 'idle',
    online: true,
    ...restore.counts,
    lastSyncAt: restore.lastSyncAt,
    lastPushAt: restore.lastPushAt,
    lastPullAt: restore.lastPullAt,
  };
}

// Phases a sync attempt must not silently leave: only sign-in or a restart ends them.
function isBlocked(phase: SyncPhase): boolean {
  return phase === 'sign_in_required' || phase === 'upgrade_required';
}

function phaseAfterFailure(action: FailureAction, offline: boolean): SyncPhase {
  switch (action) {
    case 'sign_in':
      return 'sign_in_required';
    case 'upgrade':
      return 'upgrade_required';
    case 'backoff':
      return offline ? 'offline' : 'backoff';
    case 'full_resync':
    case 'report_bug':
      return 'backoff';
    default:
      return assertNever(action);
  }
}

function withoutInitialSync(status: SyncStatus): SyncStatus {
  const { initialSync: _done, ...rest } = status;
  return rest;
}

/** The status after `event`. Pure; returns `status` itself when nothing changes. */
export function nextStatus(status: SyncStatus, event: StatusEvent): SyncStatus {
  switch (event.type) {
    case 'counts': {
      const c = event.counts;
      if (
        c.pending === status.pending &&
        c.oldestPendingAt === status.oldestPendingAt &&
        c.openConflicts === status.openConflicts &&
        c.deadLetters === status.deadLetters &&
        c.held === status.held
      ) {
        return status;
      }
      return { ...status, ...c };
    }
    case 'push_started':
      return { ...status, phase: 'pushing' };
    case 'pushed':
      return { ...status, online: true, lastPushAt: event.at };
    case 'pull_started':
      return {
        ...status,
        phase: 'pulling',
        ...(event.initial ? { initialSync: { received: status.initialSync?.received ?? 0 } } : {}),
      };
    case 'pulled_page':
      return status.initialSync
        ? { ...status, initialSync: { received: status.initialSync.received + event.received } }
        : status;
    case 'pulled':
      return { ...withoutInitialSync(status), online: true, lastPullAt: event.at };
    case 'synced': {
      const { lastError: _cleared, ...rest } = withoutInitialSync(status);
      return { ...rest, phase: 'idle', online: true, lastSyncAt: event.at };
    }
    case 'failed':
      return {
        ...status,
        phase: phaseAfterFailure(event.action, event.offline),
        online: !event.offline,
        lastError: event.error,
      };
    case 'online':
      return status.online && status.phase !== 'offline'
        ? status
        : { ...status, online: true, phase: status.phase === 'offline' ? 'idle' : status.phase };
    case 'resumed':
      return isBlocked(status.phase) ? { ...status, phase: 'idle' } : status;
    case 'stopped':
      return isBlocked(status.phase) || status.phase === 'idle' ? status : { ...status, phase: 'idle' };
    case 'clock': {
      const off = clockOffForStatus(event.offsetMs);
      if (off === status.clockOffMs) return status;
      if (off === undefined) {
        const { clockOffMs: _fixed, ...rest } = status;
        return rest;
      }
      return { ...status, clockOffMs: off };
    }
    default:
      return assertNever(event);
  }
}

export type StatusStore = {
  current(): SyncStatus;
  dispatch(event: StatusEvent): void;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (status: SyncStatus) => void): () => void;
};

/** Holds the current snapshot; a throwing listener never breaks sync or other listeners. */
export function createStatusStore(
  initial: SyncStatus,
  onListenerError: (error: unknown) => void = () => {},
): StatusStore {
  let status = initial;
  const listeners = new Set<(status: SyncStatus) => void>();
  return {
    current: () => status,
    dispatch: (event) => {
      const next = nextStatus(status, event);
      if (next === status) return;
      status = next;
      for (const listener of [...listeners]) {
        try {
          listener(next);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe: (listener) => {
      const own = (s: SyncStatus) => listener(s);
      listeners.add(own);
      return () => {
        listeners.delete(own);
      };
    },
  };
}
