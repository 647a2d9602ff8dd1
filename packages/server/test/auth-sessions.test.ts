/**
 * Black-box tests of sessions, devices and look-ups against the real server
 * process (PROTOCOL §1): refresh rotation and theft detection, sign-out
 * leaving background sync running, device revocation stopping it, token kinds.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, signUp, type SignedUpUser } from './support/accounts.ts';
import { call } from './support/http-client.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describe('sessions, devices and look-ups over HTTP', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server.stop());

  const pull = (user: Pick<SignedUpUser, 'deviceId'>, token: string) =>
    call(server.url, 'GET', `/v1/sync/pull?deviceId=${user.deviceId}&schemaVersion=1`, { token });
  const refresh = (refreshToken: string) => call(server.url, 'POST', '/v1/auth/refresh', { body: { refreshToken } });

  it('rotates the refresh token on every use; the new auth token works', async () => {
    const user = await signUp(server.url);
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      authToken: expect.any(String),
      authExpiresAt: expect.any(String),
      refreshToken: expect.any(String),
    });
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect((await call(server.url, 'GET', '/v1/me', { token: first.body.authToken })).status).toBe(200);
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
  });

  it('revokes the whole session family when a spent refresh token is presented again', async () => {
    const user = await signUp(server.url);
    const rotated = await refresh(user.refreshToken);
    expect(rotated.status).toBe(200);

    const replay = await refresh(user.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('token_revoked');

    // The newest refresh token and its auth token (held by whoever rotated first) stop working too.
    const newest = await refresh(rotated.body.refreshToken);
    expect(newest.status).toBe(401);
    expect(newest.body.error.code).toBe('token_revoked');
    const me = await call(server.url, 'GET', '/v1/me', { token: rotated.body.authToken });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('token_revoked');
    // The original auth token belongs to the same family.
    expect((await call(server.url, 'GET', '/v1/me', { token: user.authToken })).body.error.code).toBe('token_revoked');
    // Background sync is not part of the UI session.
    expect((await pull(user, user.syncToken)).status).toBe(200);
  });

  it('answers 401 unauthorized for an unknown refresh token and 400 for a missing one', async () => {
    const unknown = await refresh('not-a-refresh-token');
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('unauthorized');
    const missing = await call(server.url, 'POST', '/v1/auth/refresh', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.issues).toEqual([{ path: 'refreshToken', code: 'invalid_type' }]);
  });

  it('signs out: auth and refresh tokens stop at once, the sync token keeps working', async () => {
    const user = await signUp(server.url);
    expect((await pull(user, user.syncToken)).status).toBe(200);
    const out = await call(server.url, 'POST', '/v1/auth/sign-out', { token: user.authToken });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ ok: true });

    const me = await call(server.url, 'GET', '/v1/me', { token: user.authToken });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('token_revoked');
    const again = await refresh(user.refreshToken);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('token_revoked');
    expect((await pull(user, user.syncToken)).status).toBe(200);
  });

  it('signs out only the session that asked; another session of the same user keeps working', async () => {
    const user = await signUp(server.url);
    const other = await signIn(server.url, { email: user.email, password: user.password });
    await call(server.url, 'POST', '/v1/auth/sign-out', { token: user.authToken });
    expect((await call(server.url, 'GET', '/v1/me', { token: other.authToken })).status).toBe(200);
  });

  it('answers /v1/me with the user and no organizations for a new account', async () => {
    const user = await signUp(server.url, { name: 'Grace Hopper' });
    const me = await call(server.url, 'GET', '/v1/me', { token: user.authToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: { id: user.userId, email: user.email, name: 'Grace Hopper' }, organizations: [] });
  });

  it("lists only the caller's devices", async () => {
    const user = await signUp(server.url, { deviceName: 'Front desk' });
    const second = await signIn(server.url, { email: user.email, password: user.password, deviceName: 'Ward laptop' });
    const stranger = await signUp(server.url);
    const res = await call(server.url, 'GET', '/v1/devices', { token: second.authToken });
    expect(res.status).toBe(200);
    expect(res.body.devices).toHaveLength(2);
    expect(res.body.devices.map((d: { deviceName: string }) => d.deviceName).sort()).toEqual([
      'Front desk',
      'Ward laptop',
    ]);
    expect(res.body.devices[0]).toEqual({
      deviceId: expect.any(String),
      deviceName: expect.any(String),
      createdAt: expect.any(String),
      lastPushAt: null,
      lastPullAt: expect.toSatisfy((v: unknown) => v === null || typeof v === 'string'),
      syncTokenRevoked: false,
    });
    expect(res.body.devices.map((d: { deviceId: string }) => d.deviceId)).not.toContain(stranger.deviceId);
  });

  it('revokes a device: its sync token gets 401 token_revoked, the UI session is untouched', async () => {
    const user = await signUp(server.url);
    const del = await call(server.url, 'DELETE', `/v1/devices/${user.deviceId}`, { token: user.authToken });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ ok: true });
    const res = await pull(user, user.syncToken);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_revoked');
    const devices = await call(server.url, 'GET', '/v1/devices', { token: user.authToken });
    expect(devices.body.devices[0].syncTokenRevoked).toBe(true);
    // Signing in again on the device issues a working token.
    const back = await signIn(server.url, { email: user.email, password: user.password, deviceId: user.deviceId });
    expect((await pull(user, back.syncToken)).status).toBe(200);
  });

  it("answers 404 not_found when revoking a device the caller does not have, including another user's", async () => {
    const owner = await signUp(server.url);
    const attacker = await signUp(server.url);
    for (const id of [owner.deviceId, randomUUID(), 'not-a-uuid']) {
      const res = await call(server.url, 'DELETE', `/v1/devices/${id}`, { token: attacker.authToken });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await pull(owner, owner.syncToken)).status).toBe(200);
  });

  it('keeps token kinds apart on real routes', async () => {
    const user = await signUp(server.url);
    const syncOnAuthRoute = await call(server.url, 'GET', '/v1/me', { token: user.syncToken });
    expect(syncOnAuthRoute.status).toBe(403);
    expect(syncOnAuthRoute.body.error.code).toBe('wrong_token_kind');
    const authOnSyncRoute = await pull(user, user.authToken);
    expect(authOnSyncRoute.status).toBe(403);
    expect(authOnSyncRoute.body.error.code).toBe('wrong_token_kind');
    for (const [method, path] of [
      ['GET', '/v1/me'],
      ['GET', '/v1/devices'],
      ['POST', '/v1/auth/sign-out'],
      ['GET', '/v1/invitations'],
    ] as const) {
      const res = await call(server.url, method, path);
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });
});

describe('sign-in rate limiting over HTTP', () => {
  // A process of its own: every failure here counts against 127.0.0.1.
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server.stop());

  it('lets a colleague behind the same address sign in after 10 wrong passwords from it, and the owner from their own device', async () => {
    const victim = await signUp(server.url);
    const colleague = await signUp(server.url);
    for (let i = 0; i < 10; i++) {
      const res = await call(server.url, 'POST', '/v1/auth/sign-in', {
        body: { email: victim.email, password: 'wrong password', deviceId: randomUUID(), deviceName: 'x' },
      });
      expect([401, 429]).toContain(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const ok = (body: object) => call(server.url, 'POST', '/v1/auth/sign-in', { body });
    expect(
      (await ok({ email: colleague.email, password: colleague.password, deviceId: randomUUID(), deviceName: 'x' }))
        .status,
    ).toBe(200);
    // The victim's device that signed in before is not held back by the guesses.
    expect(
      (await ok({ email: victim.email, password: victim.password, deviceId: victim.deviceId, deviceName: 'x' })).status,
    ).toBe(200);
  });
});
