/**
 * The vocabulary of the API reference: one `OperationSpec` per route of
 * PROTOCOL.md, pointing at the protocol's zod schemas. The document builder
 * turns these into OpenAPI; nothing here restates a schema.
 */
import type { ErrorCode } from '@clinicsync/protocol';
import type { z } from 'zod';

/**
 * Which bearer token a route accepts (PROTOCOL §1): none, the UI session's
 * auth token, a device's sync token, or the operator's metrics token (only
 * required when the server is configured with one).
 */
export type TokenKind = 'none' | 'authToken' | 'syncToken' | 'metricsToken';

export const TAGS = [
  {
    name: 'Accounts',
    description: "Registration, sessions (auth and refresh tokens) and the caller's devices (PROTOCOL §1).",
  },
  {
    name: 'Sync',
    description: "Push local changes, pull everyone else's, and the table schema contract (PROTOCOL §3–5).",
  },
  {
    name: 'Invitations',
    description:
      'Joining an organization by consent: admins invite an email, the person accepts or declines (PROTOCOL §1b).',
  },
  {
    name: 'Organization admin',
    description: 'Device health, device revocation and the audit trail, for admins of an organization (PROTOCOL §6).',
  },
  { name: 'Service', description: 'Health check and this reference.' },
] as const;
export type TagName = (typeof TAGS)[number]['name'];

/** A zod object whose keys are parameter names (path or query). */
export type ParamsSchema = z.ZodType<unknown, Record<string, unknown>>;

export type OperationSpec = {
  readonly method: 'get' | 'post' | 'delete';
  /** OpenAPI path template (`{param}`), as PROTOCOL.md names the route. */
  readonly path: string;
  readonly operationId: string;
  readonly tag: TagName;
  readonly summary: string;
  /** Markdown; the rules a client must know beyond the schema. */
  readonly description: string;
  readonly token: TokenKind;
  readonly pathParams?: ParamsSchema;
  readonly query?: ParamsSchema;
  readonly body?: { readonly schema: z.ZodType; readonly example: unknown; readonly description?: string };
  readonly success: {
    readonly status: 200 | 201 | 202 | 204;
    readonly description: string;
    /** `application/json` unless stated. */
    readonly contentType?: string;
    /** Absent for `204 No Content`. */
    readonly schema?: z.ZodType;
    readonly example?: unknown;
  };
  /**
   * Error codes this route answers with beyond the ones implied by its shape
   * (`internal` and `headers_too_large` everywhere; token failures for protected
   * routes; `invalid_request` for input; `payload_too_large` for bodies). See `impliedErrors`.
   */
  readonly errors: readonly ErrorCode[];
};

/** The error codes every route of a given shape can answer with, whatever it does. */
export function impliedErrors(op: OperationSpec): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (op.body || op.query || op.pathParams) codes.push('invalid_request');
  // Auth tokens expire (15 min); sync tokens are long-lived and only revoked.
  if (op.token === 'authToken') codes.push('unauthorized', 'token_expired', 'token_revoked', 'wrong_token_kind');
  if (op.token === 'syncToken') codes.push('unauthorized', 'token_revoked', 'wrong_token_kind');
  if (op.token === 'metricsToken') codes.push('unauthorized');
  if (op.body) codes.push('payload_too_large');
  // Any URL can be too long for Node's header limit (node/json-client-errors.ts).
  codes.push('headers_too_large', 'internal');
  return codes;
}

/** Every error code of `op`, implied and declared, without repeats, in the order of ERROR_STATUS. */
export function operationErrors(op: OperationSpec, order: readonly ErrorCode[]): ErrorCode[] {
  const all = new Set<ErrorCode>([...impliedErrors(op), ...op.errors]);
  return order.filter((code) => all.has(code));
}
