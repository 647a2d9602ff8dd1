/**
 * The one place that decides what a failed sync request means for the loops
 * (docs/style.md §4): they switch on this answer, never on raw statuses. An
 * answer carrying one of the protocol's error codes is decided by its code
 * (the code says why; a status is shared by several reasons); an answer
 * without one (a proxy's page, a body that is not ours) by its status.
 */
import { assertNever, type ErrorCode } from '@clinicsync/protocol';
import type { FailureAction } from './sync-status.ts';
import type { TransportFailure } from './transport.ts';

/**
 * What each listed code means for the engine. A `Record` over every code, so
 * a code added to the protocol's list does not type-check until it is decided here.
 */
const ACTION_BY_CODE: { readonly [C in ErrorCode]: FailureAction } = {
  invalid_request: 'report_bug',
  unauthorized: 'sign_in',
  token_expired: 'sign_in',
  token_revoked: 'sign_in',
  invalid_credentials: 'sign_in',
  // An auth token on a sync route: only a new sign-in on this device helps.
  wrong_token_kind: 'sign_in',
  // A sync token bound to another device: likewise.
  forbidden: 'sign_in',
  not_found: 'report_bug',
  // A method the route does not serve, a URL past the server's header limit: the client sent what it never should.
  method_not_allowed: 'report_bug',
  conflict: 'report_bug',
  email_taken: 'report_bug',
  membership_limit: 'report_bug',
  cursor_invalid: 'full_resync',
  batch_too_large: 'report_bug',
  payload_too_large: 'report_bug',
  unsupported_media_type: 'report_bug',
  schema_upgrade_required: 'upgrade',
  rate_limited: 'backoff',
  headers_too_large: 'report_bug',
  internal: 'backoff',
  unavailable: 'backoff',
};

export function classifyFailure(failure: TransportFailure): FailureAction {
  switch (failure.kind) {
    case 'network':
    case 'timeout':
    case 'aborted':
      return 'backoff';
    case 'no_token':
      return 'sign_in';
    case 'invalid_response':
      // A success answer we cannot read is our bug. (A proxy's error page is an `http` failure without a code,
      // decided by its status below.)
      return 'report_bug';
    case 'http':
      return failure.code === 'unknown' ? classifyStatus(failure.status) : ACTION_BY_CODE[failure.code];
    default:
      return assertNever(failure);
  }
}

/** For an error answer without a protocol code. */
function classifyStatus(status: number): FailureAction {
  if (status === 401) return 'sign_in';
  if (status === 403) return 'sign_in';
  if (status === 426) return 'upgrade';
  if (status === 410) return 'full_resync';
  if (status === 408 || status === 429 || status >= 500) return 'backoff';
  return 'report_bug';
}

/**
 * Whether the batch's content may be what failed, so a smaller batch may get
 * through (the push loop's isolation): a refused body, one too large, or the
 * server failing on it. An overloaded server (503, with Retry-After) is not
 * the content's doing.
 */
export function mayBeContent(failure: TransportFailure): boolean {
  const status = failure.kind === 'http' || failure.kind === 'invalid_response' ? failure.status : 0;
  if (status === 503) return false;
  return status === 400 || status === 413 || status >= 500;
}

/** Whether the failure says this device's sync token was revoked: its organizations' records must leave the computer. */
export function meansDeviceRevoked(failure: TransportFailure): boolean {
  return failure.kind === 'http' && failure.status === 401 && failure.code === 'token_revoked';
}
