import { ERROR_STATUS, errorBodySchema, type ErrorCode } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { ERROR_MEANINGS, errorBodyWith, errorExample, errorResponses } from './error-responses.ts';

const CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

describe('error responses', () => {
  it('explains every code of ERROR_STATUS to client writers', () => {
    expect(CODES.filter((code) => !ERROR_MEANINGS[code])).toEqual([]);
  });

  it('groups codes under the status ERROR_STATUS gives them, one response per status', () => {
    const responses = errorResponses(['invalid_request', 'unauthorized', 'token_revoked', 'forbidden', 'internal']);
    expect(Object.keys(responses)).toEqual(['400', '401', '403', '500']);
    expect(responses['401']!.description).toContain('`unauthorized`');
    expect(responses['401']!.description).toContain('`token_revoked`');
    expect(Object.keys(responses['401']!.content!['application/json']!.examples!)).toEqual([
      'unauthorized',
      'token_revoked',
    ]);
  });

  it('documents Retry-After on 429 only', () => {
    const responses = errorResponses(['rate_limited', 'forbidden']);
    expect(responses['429']!.headers).toHaveProperty('Retry-After');
    expect(responses['403']!.headers).toBeUndefined();
  });

  it('narrows the protocol error body to the listed codes', () => {
    const schema = errorBodyWith(['unauthorized', 'token_expired']);
    expect(schema.safeParse(errorExample('token_expired')).success).toBe(true);
    expect(schema.safeParse(errorExample('forbidden')).success).toBe(false);
  });

  it('gives every code an example that is a valid error body', () => {
    for (const code of CODES) expect(errorBodySchema.safeParse(errorExample(code)).success, code).toBe(true);
  });
});
