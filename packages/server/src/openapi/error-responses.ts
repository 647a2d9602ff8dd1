/**
 * Error responses of the reference, derived from `ERROR_STATUS` (the one table
 * that maps a code to its status) and `errorBodySchema`: each documented status
 * of an operation lists exactly the codes it can carry, with an example each.
 */
import { ERROR_STATUS, errorBodySchema, type ErrorCode } from '@clinicsync/protocol';
import { z } from 'zod';
import type { ZodOpenApiResponseObject } from 'zod-openapi';

/**
 * What each code means and what a client does about it (PROTOCOL top table).
 * Keyed by string on purpose: a code added to ERROR_STATUS without a meaning
 * here is caught by `error-responses.test.ts`, and a code removed from it does
 * not break the build.
 */
export const ERROR_MEANINGS: Readonly<Record<string, string>> = {
  invalid_request:
    'The body, query or a path parameter failed validation; `details.issues` lists `{path, code}` pairs (never the values). Fix the request; do not retry it as is.',
  unauthorized: 'The token (or, on sign-in, the email/password pair) is missing or not valid. Sign in again.',
  token_expired: 'The auth token expired. Use the refresh token, then retry.',
  token_revoked:
    'The token was revoked (sign-out, refresh-token reuse, or the device was revoked). Sign in again; keep unsent local edits.',
  invalid_credentials:
    'Not answered by this server: a wrong email or password is `unauthorized`, so the two cannot be told apart.',
  wrong_token_kind: 'An auth token was presented to a sync route or a sync token to any other route.',
  forbidden: "The caller may not do this (role, membership, or a `deviceId` that is not the token's device).",
  not_found: 'No such resource for this caller.',
  method_not_allowed:
    'The path exists but not with this method; the `Allow` header lists the methods it has. Not sent for any documented operation.',
  conflict: 'A non-sync REST write clashed with the current state.',
  email_taken: 'An account with this email already exists.',
  membership_limit:
    'The person already belongs to 50 organizations, the most one person can; the invitation stays pending. Leave an organization, then accept again.',
  cursor_invalid:
    'The server cannot continue from this pull cursor: do a full resync (pull without a cursor) and keep unsent local edits.',
  batch_too_large: 'More than 500 events in one push: split the batch.',
  payload_too_large: 'The body is over the size limit (default 5 MiB); `details.limitBytes` gives the limit.',
  unsupported_media_type: 'The body is not JSON.',
  schema_upgrade_required:
    "The client's schema version is below the server's minimum: keep queueing locally and ask the user to update.",
  headers_too_large:
    'The request line and headers are over 16 KiB, so the request was refused before it was read. Shorten the URL; a pull cursor is never longer than 8 KiB.',
  rate_limited: 'Too many attempts. Wait the number of seconds in the `Retry-After` header.',
  internal: 'Something failed on the server. Nothing was half-applied; retry with backoff.',
  unavailable: 'The server cannot reach its database. Retry with backoff.',
};

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Too large',
  415: 'Unsupported media type',
  426: 'Upgrade required',
  431: 'Request headers too large',
  429: 'Too many requests',
  500: 'Server error',
  503: 'Unavailable',
};

/** All codes in the order of the protocol's table. */
export const ERROR_ORDER = Object.keys(ERROR_STATUS) as ErrorCode[];

/** The error body with `code` narrowed to `codes`: the protocol's shape, not a copy of it. */
export function errorBodyWith(codes: readonly [ErrorCode, ...ErrorCode[]]): z.ZodType {
  return errorBodySchema.extend({ error: errorBodySchema.shape.error.extend({ code: z.enum(codes) }) });
}

/** A plausible body for `code`, used as a documented example. */
export function errorExample(code: ErrorCode): {
  error: { code: ErrorCode; message: string; details: Record<string, unknown> };
} {
  const details: Record<string, unknown> =
    code === 'invalid_request'
      ? { issues: [{ path: 'deviceId', code: 'invalid_format' }] }
      : code === 'payload_too_large'
        ? { limitBytes: 5 * 1024 * 1024 }
        : {};
  return { error: { code, message: ERROR_MEANINGS[code]?.split('.')[0] ?? code, details } };
}

/** The OpenAPI responses for `codes`, one per status, each listing its codes. */
export function errorResponses(codes: readonly ErrorCode[]): Record<string, ZodOpenApiResponseObject> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const list = group.map((code) => `- \`${code}\`: ${ERROR_MEANINGS[code] ?? 'See the message.'}`).join('\n');
    responses[String(status)] = {
      description: `${STATUS_TITLES[status] ?? 'Error'}. \`error.code\` is one of:\n\n${list}`,
      ...(status === 429
        ? {
            headers: {
              'Retry-After': {
                description: 'Seconds to wait before trying again.',
                required: true,
                schema: { type: 'integer', minimum: 0 },
              },
            },
          }
        : {}),
      content: {
        'application/json': {
          schema: errorBodyWith(group as [ErrorCode, ...ErrorCode[]]),
          examples: Object.fromEntries(group.map((code) => [code, { summary: code, value: errorExample(code) }])),
        },
      },
    };
  }
  return responses;
}
