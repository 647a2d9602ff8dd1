/**
 * The token gates in-process (PROTOCOL §1): kind separation both ways, expiry
 * with a fake clock, replaced tokens. A probe app mounts each gate on a tiny
 * route next to the real app, so the gates are tested apart from any feature.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppEnv } from '../src/app-env.ts';
import { requireAuthToken, requireSyncToken } from '../src/auth/require-token.ts';
import { renderError } from '../src/http/render-error.ts';
import { testApp } from './support/test-deps.ts';

type Harness = Awaited<ReturnType<typeof harness>>;

async function harness() {
  const { deps, app, close } = await testApp();
  const probe = new Hono<AppEnv>();
  probe.get('/probe/auth', requireAuthToken(deps), (c) => c.json(c.get('authActor')));
  probe.get('/probe/sync', requireSyncToken(deps), (c) => c.json(c.get('syncActor')));
  probe.route('/', app);
  probe.onError(renderError);

  const request = async (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await probe.request(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return { status: res.status, body: (await res.json()) as any, headers: res.headers };
  };

  const signUp = async (deviceId = randomUUID()) => {
    const email = `u-${randomUUID()}@example.test`;
    const password = 'long enough password';
    const reg = await request('POST', '/v1/auth/register', { body: { email, password, name: 'U' } });
    const res = await request('POST', '/v1/auth/sign-in', { body: { email, password, deviceId, deviceName: 'Desk' } });
    expect(res.status).toBe(200);
    return {
      userId: reg.body.userId as string,
      email,
      password,
      deviceId,
      ...(res.body as { authToken: string; refreshToken: string; syncToken: string; authExpiresAt: string }),
    };
  };

  return { deps, request, signUp, close };
}

describe('token gates', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  it('admits an auth token and sets the auth actor from its session', async () => {
    const user = await h.signUp();
    const res = await h.request('GET', '/probe/auth', { token: user.authToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'auth', userId: user.userId, sessionId: expect.any(String) });
  });

  it('admits a sync token and sets the sync actor with its device', async () => {
    const user = await h.signUp();
    const res = await h.request('GET', '/probe/sync', { token: user.syncToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'sync', userId: user.userId, deviceId: user.deviceId });
  });

  it('refuses a sync token on an auth route with 403 wrong_token_kind', async () => {
    const user = await h.signUp();
    const res = await h.request('GET', '/probe/auth', { token: user.syncToken });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('wrong_token_kind');
  });

  it('refuses an auth token on a sync route with 403 wrong_token_kind, even once expired', async () => {
    const user = await h.signUp();
    expect((await h.request('GET', '/probe/sync', { token: user.authToken })).body.error.code).toBe('wrong_token_kind');
    h.deps.clock.advance(60 * 60_000);
    const res = await h.request('GET', '/probe/sync', { token: user.authToken });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('wrong_token_kind');
  });

  it.each([
    ['no header', undefined],
    ['garbage', 'garbage'],
    [
      'a JWT signed with another key',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwia2luZCI6ImF1dGgiLCJzaWQiOiJ5IiwiZXhwIjo5OTk5OTk5OTk5fQ.c2lnbmF0dXJl',
    ],
  ])('answers 401 unauthorized for %s on both gates', async (_label, token) => {
    for (const path of ['/probe/auth', '/probe/sync']) {
      const res = await h.request('GET', path, token === undefined ? {} : { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('refuses a refresh token used as a bearer token', async () => {
    const user = await h.signUp();
    expect((await h.request('GET', '/probe/auth', { token: user.refreshToken })).status).toBe(401);
    expect((await h.request('GET', '/probe/sync', { token: user.refreshToken })).status).toBe(401);
  });

  it('expires an auth token after 15 minutes (401 token_expired) while the sync token keeps working', async () => {
    const user = await h.signUp();
    expect(user.authExpiresAt).toBe('2026-01-01T00:15:00.000Z');
    h.deps.clock.advance(15 * 60_000 - 1000);
    expect((await h.request('GET', '/probe/auth', { token: user.authToken })).status).toBe(200);
    h.deps.clock.advance(1000);
    const res = await h.request('GET', '/probe/auth', { token: user.authToken });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
    expect((await h.request('GET', '/probe/sync', { token: user.syncToken })).status).toBe(200);
  });

  it('refuses a sync token replaced by a newer sign-in on the same device', async () => {
    const user = await h.signUp();
    const again = await h.request('POST', '/v1/auth/sign-in', {
      body: { email: user.email, password: user.password, deviceId: user.deviceId, deviceName: 'Desk' },
    });
    expect((await h.request('GET', '/probe/sync', { token: user.syncToken })).status).toBe(401);
    expect((await h.request('GET', '/probe/sync', { token: again.body.syncToken })).status).toBe(200);
  });

  it('gives another user signing in on the same device a token of their own', async () => {
    const deviceId = randomUUID();
    const a = await h.signUp(deviceId);
    const b = await h.signUp(deviceId);
    expect((await h.request('GET', '/probe/sync', { token: a.syncToken })).body).toEqual({
      kind: 'sync',
      userId: a.userId,
      deviceId,
    });
    expect((await h.request('GET', '/probe/sync', { token: b.syncToken })).body).toEqual({
      kind: 'sync',
      userId: b.userId,
      deviceId,
    });
  });
});
