/**
 * `429 rate_limited` (PROTOCOL table of errors): the wait goes in the
 * `Retry-After` header (seconds) and in the details as `retryAfterSeconds`,
 * with whatever else the limit tells the caller.
 */
import { ApiError } from '@clinicsync/protocol';

export function rateLimited(
  message: string,
  retryAfterSeconds: number,
  details: Readonly<Record<string, unknown>> = {},
): ApiError {
  return new ApiError('rate_limited', message, {
    details: { ...details, retryAfterSeconds },
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
