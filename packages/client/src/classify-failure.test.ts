import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classify-failure.ts';
import type { TransportFailure } from './transport.ts';

const http = (status: number, code = 'x'): TransportFailure => ({ kind: 'http', status, code, message: '' });

describe('classifyFailure', () => {
  it.each<[string, TransportFailure, ReturnType<typeof classifyFailure>]>([
    ['a network error backs off', { kind: 'network', message: 'ECONNREFUSED' }, 'backoff'],
    ['a timeout backs off', { kind: 'timeout' }, 'backoff'],
    ['500 internal backs off', http(500, 'internal'), 'backoff'],
    ['503 unavailable backs off', http(503, 'unavailable'), 'backoff'],
    ['429 rate_limited backs off', http(429, 'rate_limited'), 'backoff'],
    ['a proxy error page backs off', { kind: 'invalid_response', status: 502, message: '' }, 'backoff'],
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
});
