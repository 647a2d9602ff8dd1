/**
 * Creates users against a running server over HTTP, for black-box suites:
 * `const alice = await signUp(server.url)` registers a unique user and signs
 * in from a fresh device, returning everything a test needs to act as them.
 */
import { randomUUID } from 'node:crypto';
import { call } from './http-client.ts';

export type SignUpOptions = {
  email?: string;
  name?: string;
  password?: string;
  deviceId?: string;
  deviceName?: string;
};

export type SignedUpUser = {
  userId: string;
  email: string;
  password: string;
  name: string;
  deviceId: string;
  authToken: string;
  refreshToken: string;
  syncToken: string;
};

/** Registers (unique email by default) and signs in; throws with the server's answer if either step fails. */
export async function signUp(base: string, opts: SignUpOptions = {}): Promise<SignedUpUser> {
  const email = opts.email ?? `user-${randomUUID()}@example.test`;
  const name = opts.name ?? 'Test User';
  const password = opts.password ?? 'correct horse battery staple';
  const deviceId = opts.deviceId ?? randomUUID();
  const deviceName = opts.deviceName ?? 'Test device';

  const registered = await call(base, 'POST', '/v1/auth/register', { body: { email, password, name } });
  if (registered.status !== 201)
    throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  const signedIn = await signIn(base, { email, password, deviceId, deviceName });
  return {
    userId: registered.body.userId,
    email: signedIn.user.email,
    password,
    name,
    deviceId,
    authToken: signedIn.authToken,
    refreshToken: signedIn.refreshToken,
    syncToken: signedIn.syncToken,
  };
}

/** Signs an existing user in (e.g. from a second device); throws unless the answer is 200. */
export async function signIn(
  base: string,
  input: { email: string; password: string; deviceId?: string; deviceName?: string },
): Promise<{
  user: { id: string; email: string; name: string };
  authToken: string;
  authExpiresAt: string;
  refreshToken: string;
  syncToken: string;
}> {
  const res = await call(base, 'POST', '/v1/auth/sign-in', {
    body: {
      email: input.email,
      password: input.password,
      deviceId: input.deviceId ?? randomUUID(),
      deviceName: input.deviceName ?? 'Test device',
    },
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
