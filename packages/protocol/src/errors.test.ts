import { describe, expect, it } from 'vitest';
import { ApiError, ERROR_CODES, ERROR_STATUS, errorBody, errorBodySchema, isErrorCode } from './errors.ts';

// The contract's error table (PROTOCOL, top of the document), code by code with its status.
const CONTRACT: Record<string, number> = {
  invalid_request: 400,
  unauthorized: 401,
  token_expired: 401,
  token_revoked: 401,
  wrong_token_kind: 403,
  forbidden: 403,
  conflict: 409,
  membership_limit: 409,
  email_taken: 409,
  cursor_invalid: 410,
  batch_too_large: 413,
  payload_too_large: 413,
  schema_upgrade_required: 426,
  rate_limited: 429,
  internal: 500,
};

describe('the error code list', () => {
  it('holds every code of the contract at its status', () => {
    for (const [code, status] of Object.entries(CONTRACT)) {
      expect(ERROR_CODES, code).toContain(code);
      expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS], code).toBe(status);
    }
  });

  it('is the keys of the status table, each once', () => {
    expect([...ERROR_CODES].sort()).toEqual(Object.keys(ERROR_STATUS).sort());
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('is what the error body schema accepts, and nothing else', () => {
    for (const code of ERROR_CODES) expect(errorBodySchema.safeParse(errorBody(code, 'm')).success, code).toBe(true);
    for (const code of ['', 'unknown', 'INTERNAL', 'server_error', 'invalid_event'])
      expect(errorBodySchema.safeParse({ error: { code, message: 'm', details: {} } }).success, code).toBe(false);
  });

  it('tells listed codes from anything else', () => {
    for (const code of ERROR_CODES) expect(isErrorCode(code)).toBe(true);
    for (const value of ['toString', '__proto__', 'unknown', 426, null, undefined])
      expect(isErrorCode(value)).toBe(false);
  });

  it('gives every ApiError the status of its code', () => {
    for (const code of ERROR_CODES) expect(new ApiError(code, 'm').status).toBe(ERROR_STATUS[code]);
  });
});
