/**
 * Errors of the local API, in the same shape as the server's
 * (`{error:{code,message,details}}`), with statuses from the protocol's table.
 */
import { ApiError, ERROR_STATUS, errorBody, type ErrorCode } from '@clinicsync/protocol';
import type { Context } from 'hono';

/** Renders one error body. */
export function localErrorResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): Response {
  return c.json(errorBody(code, message, details), ERROR_STATUS[code]);
}

/** `app.onError` for the local app: ApiErrors as they are, anything else as `500 internal` without its text (it may quote patient data). */
export function renderLocalError(error: Error, c: Context, log: (line: string) => void): Response {
  if (error instanceof ApiError) return localErrorResponse(c, error.code, error.message, { ...error.details });
  log(
    `local api error: ${error.name}${(error as { code?: unknown }).code ? ` (${String((error as { code?: unknown }).code)})` : ''}`,
  );
  return localErrorResponse(c, 'internal', 'Something went wrong in the desktop app. Try again.');
}
