import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classify-failure.ts';
import type { TransportFailure } from './transport.ts';

const http = (status: number, code: ErrorCode | 'unknown' = 'unknown'): TransportFailure => ({
  kind: 'http',
  status,
  code,
  message: '',
});

describe('classifyFailure', () => {
  it.each<[string, TransportFailure, ReturnType<typeof classifyFailure>]>([
    ['a network error backs off', { kind: 'network', message: 'ECONNREFUSED' }, 'backoff'],
    ['a timeout backs off', { kind: 'timeout' }, 'backoff'],
    ['500 internal backs off', http(500, 'internal'), 'backoff'],
    ['503 unavailable backs off', http(503, 'unavailable'), 'backoff'],
    ['429 rate_limited backs off', http(429, 'rate_limited'), 'backoff'],
    ['a proxy error page (no code of ours) backs off', http(502), 'backoff'],
    [
      'a success answer we cannot read is our bug',
      { kind: 'invalid_response', status: 200, message: '' },
      'report_bug',
    ],
    ['401 token_revoked asks for sign-in', http(401, 'token_revoked'), 'sign_in'],
    ['401 token_expired asks for sign-in', http(401, 'token_expired'), 'sign_in'],
    ['403 wrong_token_kind asks for sign-in', http(403, 'wrong_token_kind'), 'sign_in'],
    ['no token asks for sign-in', { kind: 'no_token' }, 'sign_in'],
    ['426 schema_upgrade_required asks for an upgrade', http(426, 'schema_upgrade_required'), 'upgrade'],
    ['410 cursor_invalid starts a full resync', http(410, 'cursor_invalid'), 'full_resync'],
    ['400 invalid_request is our bug', http(400, 'invalid_request'), 'report_bug'],
    ['413 batch_too_large is our bug', http(413, 'batch_too_large'), 'report_bug'],
    ['404 is our bug', http(404, 'not_found'), 'report_bug'],
    ['an unreadable 200 is our bug', { kind: 'invalid_response', status: 200, message: '' }, 'report_bug'],
  ])('%s', (_rule, failure, action) => {
    expect(classifyFailure(failure)).toBe(action);
  });

  // Every listed code, at its own status, grouped by what the engine does about it.
  const CODES_BY_ACTION: Record<ReturnType<typeof classifyFailure>, readonly ErrorCode[]> = {
    sign_in: ['unauthorized', 'token_expired', 'token_revoked', 'invalid_credentials', 'wrong_token_kind', 'forbidden'],
    upgrade: ['schema_upgrade_required'],
    full_resync: ['cursor_invalid'],
    backoff: ['rate_limited', 'internal', 'unavailable'],
    report_bug: [
      'invalid_request',
      'not_found',
      'method_not_allowed',
      'conflict',
      'email_taken',
      'membership_limit',
      'batch_too_large',
      'payload_too_large',
      'unsupported_media_type',
      'headers_too_large',
    ],
  };
  const expected = Object.entries(CODES_BY_ACTION).flatMap(([action, codes]) => codes.map((code) => [code, action]));

  it('decides every listed code', () => {
    expect(expected.map(([code]) => code).sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each(expected)('%s at its own status → %s', (code, action) => {
    expect(classifyFailure(http(ERROR_STATUS[code as ErrorCode], code as ErrorCode))).toBe(action);
  });

  it('decides by the code before the status', () => {
    // A gateway that rewrites statuses keeps the server's body: the code still says why.
    expect(classifyFailure(http(400, 'schema_upgrade_required'))).toBe('upgrade');
    expect(classifyFailure(http(502, 'cursor_invalid'))).toBe('full_resync');
    expect(classifyFailure(http(500, 'invalid_request'))).toBe('report_bug');
    expect(classifyFailure(http(400, 'rate_limited'))).toBe('backoff');
  });

  it.each<[number, ReturnType<typeof classifyFailure>]>([
    [401, 'sign_in'],
    [403, 'sign_in'],
    [408, 'backoff'],
    [410, 'full_resync'],
    [426, 'upgrade'],
    [429, 'backoff'],
    [500, 'backoff'],
    [502, 'backoff'],
    [400, 'report_bug'],
    [404, 'report_bug'],
  ])('without a protocol code, decides %i by the status → %s', (status, action) => {
    expect(classifyFailure(http(status))).toBe(action);
  });
});
