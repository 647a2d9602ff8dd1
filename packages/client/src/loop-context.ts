import type { BackoffPolicy } from './backoff.ts';
import type { Random } from './deps.ts';
import type { StoreContext } from './store/store-context.ts';
import type { FailureAction, StatusStore, SyncError } from './sync-status.ts';
import type { Transport, TransportFailure } from './transport.ts';

/** Everything the push and pull loops and their scheduler work with. */
export type LoopContext = {
  readonly store: StoreContext;
  readonly transport: Transport;
  readonly status: StatusStore;
  readonly deviceId: string;
  readonly appVersion: string | undefined;
  readonly pullLimit: number;
  readonly random: Random;
  readonly backoff: BackoffPolicy;
  readonly intervalMs: number;
  readonly debounceMs: number;
  /** Seconds a waiting pull asks the server to hold it (PROTOCOL §4 "Live"); 0 turns live sync off. */
  readonly liveWaitSeconds: number;
  readonly onError: (error: unknown) => void;
};

/** How one push or pull run ended. */
export type StepOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'failed'; readonly action: FailureAction; readonly failure: TransportFailure };

/** The status error for a failure: a code and a sentence for the user, never a stack or a payload. */
export function describeFailure(failure: TransportFailure, at: string): SyncError {
  switch (failure.kind) {
    case 'network':
      return { code: 'network_error', message: 'The sync server could not be reached.', at };
    case 'timeout':
      return { code: 'timeout', message: 'The sync server did not answer in time.', at };
    case 'aborted':
      return { code: 'stopped', message: 'Sync was stopped.', at };
    case 'no_token':
      return { code: 'no_sync_token', message: 'Sign in to resume sync.', at };
    case 'http':
      return { code: failure.code, message: failure.message, at };
    case 'invalid_response':
      return { code: 'invalid_response', message: failure.message, at };
  }
}
