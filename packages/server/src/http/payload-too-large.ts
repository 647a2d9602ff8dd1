/**
 * The answer to a body over the size limit (`413 payload_too_large`), in one
 * place: the app's body-limit middleware throws it, and the front of
 * `clinicsync-edge`, which enforces the same limit before a body reaches the
 * runtime, renders the same error.
 */
import { ApiError, errorBody, type ErrorBody } from '@clinicsync/protocol';

export function payloadTooLarge(limitBytes: number): ApiError {
  return new ApiError('payload_too_large', `The request body is larger than ${limitBytes} bytes.`, {
    details: { limitBytes },
  });
}

/** An `ApiError` as the body the error renderer gives it (`{error:{code,message,details}}`), for answers made outside the app. */
export function errorBodyOf(error: ApiError): ErrorBody {
  return errorBody(error.code, error.message, { ...error.details });
}
