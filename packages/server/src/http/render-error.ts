/**
 * The one place errors become responses (docs/style.md §4). An `ApiError` renders as
 * `{error:{code,message,details}}` with the status from the protocol's table;
 * anything else is logged with the request id and answered `500 internal`
 * with no message, SQL or stack.
 */
import { ApiError, ERROR_STATUS, errorBody, type ErrorCode } from '@clinicsync/protocol';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app-env.ts';

export function errorResponse(
  c: Context,
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return c.json(errorBody(code, message, details), ERROR_STATUS[code], headers);
}

export function renderError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof ApiError)
    return errorResponse(c, error.code, error.message, { ...error.details }, { ...error.headers });
  if (error instanceof HTTPException && error.status === 413)
    return errorResponse(c, 'payload_too_large', 'The request body is too large.');
  if (error instanceof HTTPException && error.status < 500) {
    return errorResponse(c, 'invalid_request', 'The request could not be understood.');
  }
  logUnhandled(c, error);
  return errorResponse(c, 'internal', 'Something went wrong on the server. The request can be retried.');
}

/**
 * Logs an error no handler expected, for every error renderer. Driver messages
 * can quote row values (patient data), so only the error's name, code and
 * stack frames are logged, never its message.
 */
export function logUnhandled(c: Context<AppEnv>, error: Error): void {
  const frames = error.stack?.split('\n').slice(1).join('\n');
  c.get('log')?.error(
    { err: { name: error.name, code: (error as { code?: unknown }).code, frames } },
    'unhandled error',
  );
}

/**
 * No handler answered: `405` with `Allow` when the path is served with other
 * methods (`allowed`, from `allowedMethods`), else `404`. A handler of this very
 * method that found nothing (HEAD counts as GET) is a plain `404`.
 */
export function renderNotFound(c: Context<AppEnv>, allowed: readonly string[] = []): Response {
  const method = c.req.method.toUpperCase();
  if (allowed.length > 0 && !allowed.includes(method)) {
    return errorResponse(
      c,
      'method_not_allowed',
      `This route does not answer ${method}; it answers ${allowed.join(', ')}.`,
      { method, allowed: [...allowed] },
      { allow: allowed.join(', ') },
    );
  }
  return errorResponse(c, 'not_found', 'There is no such route.', { method: c.req.method });
}
