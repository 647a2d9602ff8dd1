/**
 * Turns a failed call to the sync server into the local API's error, so the
 * page shows the server's own reason ("email already registered") or that the
 * server is out of reach, never a raw status.
 */
import { ApiError, ERROR_STATUS, isErrorCode, type ErrorCode } from '@clinicsync/protocol';
import type { RemoteResult } from './remote-api.ts';

/** The value of a successful call; throws the matching ApiError otherwise. */
export function unwrapRemote<T>(result: RemoteResult<T> | { kind: 'no_session' } | { kind: 'offline_session' }): T {
  switch (result.kind) {
    case 'ok':
      return result.value;
    case 'no_session':
      throw new ApiError('token_expired', 'Your session has ended. Sign in again.');
    case 'offline_session':
      throw new ApiError(
        'unavailable',
        'You signed in without a connection to the server. To do this, lock ClinicSync and sign in again once the server can be reached.',
      );
    case 'unreachable':
      throw new ApiError(
        'unavailable',
        'The sync server cannot be reached right now. Your work is saved on this computer; try this again when you are back online.',
      );
    case 'refused': {
      if (result.status === 401) throw new ApiError('token_expired', 'Your session has ended. Sign in again.');
      const code: ErrorCode =
        isErrorCode(result.code) && ERROR_STATUS[result.code] === result.status
          ? result.code
          : result.status >= 500
            ? 'unavailable'
            : 'invalid_request';
      // The server's details are codes and paths only (PROTOCOL error shape), safe to pass on.
      throw new ApiError(code, result.message, { details: { ...result.details } });
    }
  }
}
