/** Black-box tests of accounts and sign-in against the real server process (PROTOCOL §1). */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, signUp } from './support/accounts.ts';
import { call } from './support/http-client.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const errorShape = (code: string) => ({ error: { code, message: expect.any(String), details: expect.any(Object) } });

describe('register and sign-in', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server.stop());

  it('registers with 201 {userId} and signs in with both tokens', async () => {
    const email = `New.User-${randomUUID()}@Example.TEST `;
    const reg = await call(server.url, 'POST', '/v1/auth/register', {
      body: { email, password: 'long enough password', name: ' Ada ' },
    });
    expect(reg.status).toBe(201);
    expect(reg.body).toEqual({ userId: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const res = await call(server.url, 'POST', '/v1/auth/sign-in', {
      body: {
        email: email.toUpperCase(),
        password: 'long enough password',
        deviceId: randomUUID(),
        deviceName: 'Front desk',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { id: reg.body.userId, email: email.trim().toLowerCase(), name: 'Ada' },
      authToken: expect.any(String),
      authExpiresAt: expect.any(String),
      refreshToken: expect.any(String),
      syncToken: expect.any(String),
    });
    const ttl = new Date(res.body.authExpiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    // Sync tokens are opaque 256-bit secrets, not JWTs.
    expect(res.body.syncToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.authToken.split('.')).toHaveLength(3);
  });

  it('refuses invalid registrations with 400 invalid_request listing paths only', async () => {
    const res = await call(server.url, 'POST', '/v1/auth/register', {
      body: { email: 'not-an-email', password: 'short', name: '' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorShape('invalid_request'));
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['email', 'name', 'password']);
    expect(JSON.stringify(res.body)).not.toContain('not-an-email');
    for (const issue of res.body.error.details.issues) expect(Object.keys(issue).sort()).toEqual(['code', 'path']);
  });

  it('refuses a password shorter than 8 characters and unknown fields', async () => {
    const short = await call(server.url, 'POST', '/v1/auth/register', {
      body: { email: `a-${randomUUID()}@example.test`, password: '1234567', name: 'A' },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details.issues).toEqual([{ path: 'password', code: 'too_small' }]);
    const extra = await call(server.url, 'POST', '/v1/auth/register', {
      body: { email: `a-${randomUUID()}@example.test`, password: '1234567890', name: 'A', role: 'admin' },
    });
    expect(extra.status).toBe(400);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await call(server.url, 'POST', '/v1/auth/sign-in', { rawBody: '{nope' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorShape('invalid_request'));
  });

  it('answers 409 email_taken for a duplicate email, whatever its case', async () => {
    const user = await signUp(server.url);
    const res = await call(server.url, 'POST', '/v1/auth/register', {
      body: { email: user.email.toUpperCase(), password: 'another password', name: 'B' },
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(errorShape('email_taken'));
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const user = await signUp(server.url);
    const wrongPassword = await call(server.url, 'POST', '/v1/auth/sign-in', {
      body: { email: user.email, password: 'wrong password!', deviceId: randomUUID(), deviceName: 'x' },
    });
    const unknownEmail = await call(server.url, 'POST', '/v1/auth/sign-in', {
      body: {
        email: `nobody-${randomUUID()}@example.test`,
        password: 'wrong password!',
        deviceId: randomUUID(),
        deviceName: 'x',
      },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body).toEqual({
      error: { code: 'unauthorized', message: 'Email or password is incorrect.', details: {} },
    });
  });

  it('issues a new sync token on every sign-in from a device; the previous one stops working', async () => {
    const user = await signUp(server.url);
    const again = await signIn(server.url, {
      email: user.email,
      password: user.password,
      deviceId: user.deviceId,
      deviceName: 'Renamed',
    });
    expect(again.syncToken).not.toBe(user.syncToken);
    const devices = await call(server.url, 'GET', '/v1/devices', { token: again.authToken });
    if (devices.status === 200)
      expect(devices.body.devices).toEqual([
        expect.objectContaining({ deviceId: user.deviceId, deviceName: 'Renamed' }),
      ]);
  });

  it('keeps passwords, emails and tokens out of the logs', async () => {
    const user = await signUp(server.url, { password: 'very secret password 123' });
    await call(server.url, 'POST', '/v1/auth/sign-in', {
      body: { email: user.email, password: 'wrong-password-xyz', deviceId: randomUUID(), deviceName: 'x' },
    });
    const logs = server.output();
    for (const secret of [
      user.email,
      user.password,
      'wrong-password-xyz',
      user.authToken,
      user.refreshToken,
      user.syncToken,
    ])
      expect(logs).not.toContain(secret);
  });
});
