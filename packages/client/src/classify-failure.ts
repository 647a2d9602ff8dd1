/**
 * The one place that decides what a failed sync request means for the loops
 * (STYLE §4): they switch on this answer, never on raw statuses.
 */
import { assertNever } from '@clinicsync/protocol';
import type { FailureAction } from './sync-status.ts';
import type { TransportFailure } from './transport.ts';

export function classifyFailure(failure: TransportFailure): FailureAction {
  switch (failure.kind) {
    case 'network':
    case 'timeout':
    case 'aborted':
      return 'backoff';
    case 'no_token':
      return 'sign_in';
    case 'invalid_response':
      // A proxy's HTML error page is an outage; a 200 we cannot read is our bug.
      return failure.status >= 500 ? 'backoff' : 'report_bug';
    case 'http':
      return classifyStatus(failure.status);
    default:
      return assertNever(failure);
  }
}

function classifyStatus(status: number): FailureAction {
  if (status === 401) return 'sign_in';
  // wrong_token_kind, or a token bound to another device: only a new sign-in on this device helps.
  if (status === 403) return 'sign_in';
  if (status === 426) return 'upgrade';
  if (status === 410) return 'full_resync';
  if (status === 408 || status === 429 || status >= 500) return 'backoff';
  return 'report_bug';
}
