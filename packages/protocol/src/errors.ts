/**
 * Error codes of the HTTP contract (PROTOCOL, top table): a closed list, the
 * one place that maps each code to its status. The error body's schema takes
 * only these codes, the server can only construct an `ApiError` with one of
 * them, and clients decide by code first (packages/client/src/classify-failure.ts).
 * Per-event rejection codes of a push are listed separately: they travel
 * inside a 200 answer, never as an HTTP status.
 */
import { z } from 'zod';

export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  token_expired: 401,
  token_revoked: 401,
  invalid_credentials: 401,
  wrong_token_kind: 403,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  email_taken: 409,
  membership_limit: 409,
  cursor_invalid: 410,
  batch_too_large: 413,
  payload_too_large: 413,
  unsupported_media_type: 415,
  schema_upgrade_required: 426,
  rate_limited: 429,
  headers_too_large: 431,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

/** Every code an error body may carry, in the table's order. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export const errorCodeSchema = z.enum(ERROR_CODES);

/** Whether `value` is one of the listed codes (a code from elsewhere, e.g. a proxy, is not). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}

export const REJECTION_CODES = [
  'forbidden',
  'not_found',
  'invalid_event',
  'unknown_table',
  'unknown_field',
  'immutable_field',
  'cross_organization',
  'event_id_reused',
  'last_admin',
  'already_exists',
  'bootstrap_incomplete',
  'out_of_range',
  'duplicate_identifier',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** One validation problem: where and what kind, never the offending value (it may be patient data). */
export const issueSchema = z.object({ path: z.string(), code: z.string() });
export type Issue = z.infer<typeof issueSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The documented error body (PROTOCOL, "Every error response is"); `details` hold codes and paths only, never values. */
export function errorBody(code: ErrorCode, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { error: { code, message, details } };
}

/** Request-level failure; `app.onError` renders it as the documented error shape. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }

  get status(): ErrorStatus {
    return ERROR_STATUS[this.code];
  }
}

/** Turns zod issues into `{path, code}` pairs (no zod sentences, no values). */
export function toIssues(issues: readonly { path: readonly PropertyKey[]; code: string }[]): Issue[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', code: i.code }));
}

/** A bug, not bad input. */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

export function assertNever(value: never): never {
  throw new InvariantError(`unexpected value ${JSON.stringify(value)}`);
}
