import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.ts';
import { fakeClock } from '../deps.ts';
import { nodeHashing } from '../node/node-hashing.ts';
import { testSecrets } from '../node/load-secrets.ts';
import { secretsFromMaterial } from '../secrets.ts';
import { issueAuthToken, verifyAuthToken } from './auth-token.ts';

const claims = { userId: 'user-1', sessionId: 'session-1' };

function setup() {
  const clock = fakeClock('2026-01-01T00:00:00Z');
  return { clock, secrets: testSecrets(), config: DEFAULT_CONFIG };
}

describe('auth tokens', () => {
  it('carries the user and session and expires after the configured lifetime', async () => {
    const deps = setup();
    const issued = await issueAuthToken(deps, claims);
    expect(issued.expiresAt).toBe('2026-01-01T00:15:00.000Z');
    expect(await verifyAuthToken(deps, issued.token)).toEqual({ kind: 'valid', ...claims });
    deps.clock.advance(15 * 60_000);
    expect(await verifyAuthToken(deps, issued.token)).toEqual({ kind: 'expired' });
  });

  it('refuses a token signed with another key, even when expired', async () => {
    const deps = setup();
    const other = { ...deps, secrets: secretsFromMaterial(Buffer.alloc(32, 9), nodeHashing) };
    const issued = await issueAuthToken(other, claims);
    expect(await verifyAuthToken(deps, issued.token)).toEqual({ kind: 'invalid' });
    deps.clock.advance(60 * 60_000);
    expect(await verifyAuthToken(deps, issued.token)).toEqual({ kind: 'invalid' });
  });

  it('refuses a token of another kind signed with the same key', async () => {
    const deps = setup();
    const token = await new SignJWT({ kind: 'sync', sid: 's' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setExpirationTime('1h')
      .setIssuedAt()
      .sign(deps.secrets.jwtKey);
    expect(await verifyAuthToken({ ...deps, clock: { now: () => new Date() } }, token)).toEqual({ kind: 'invalid' });
  });

  it('refuses an unsigned token (alg none) and garbage', async () => {
    const deps = setup();
    const body = Buffer.from(JSON.stringify({ sub: 'u', sid: 's', kind: 'auth', exp: 9_999_999_999 })).toString(
      'base64url',
    );
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expect(await verifyAuthToken(deps, `${header}.${body}.`)).toEqual({ kind: 'invalid' });
    expect(await verifyAuthToken(deps, 'not.a.jwt')).toEqual({ kind: 'invalid' });
  });
});
