/**
 * The engine's synchronous errors as local API errors: data refused by the
 * registry's rules → `400 invalid_request` with `{path, code}` issues (the
 * form shows them next to the fields), a missing record → `404 not_found`, an undo that came too late → `409 conflict`.
 */
import { LocalValidationError, NotFoundError, ResolutionSentError } from '@clinicsync/client';
import { ApiError } from '@clinicsync/protocol';

/** Runs an engine call, translating its known errors; anything else propagates as a bug (500). */
export function engineCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof LocalValidationError)
      throw new ApiError('invalid_request', 'Some fields are not valid.', { details: { issues: [...error.issues] } });
    if (error instanceof ResolutionSentError)
      throw new ApiError(
        'conflict',
        'This resolution has already been sent to the server and can no longer be undone.',
      );
    if (error instanceof NotFoundError)
      throw new ApiError(
        'not_found',
        `This ${error.kind.replace('_', ' ')} does not exist on this device (it may have been deleted or resolved).`,
      );
    throw error;
  }
}
