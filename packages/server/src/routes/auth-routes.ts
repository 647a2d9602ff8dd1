/**
 * Accounts, sessions and devices (PROTOCOL §1). Handlers only read input,
 * call one auth step and turn its outcome into the wire answer.
 */
import {
  ApiError,
  assertNever,
  deviceIdSchema,
  refreshRequestSchema,
  registerRequestSchema,
  signInRequestSchema,
  type DevicesResponse,
  type MeResponse,
  type RefreshResponse,
  type RegisterResponse,
  type UserId,
} from '@clinicsync/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { issueAuthToken } from '../auth/auth-token.ts';
import { clientAddress } from '../auth/client-address.ts';
import { listDevices, revokeDevice } from '../auth/devices.ts';
import { listMemberships } from '../auth/memberships.ts';
import { registerUser } from '../auth/register.ts';
import { requireAuthToken } from '../auth/require-token.ts';
import { revokeSession, rotateRefreshToken } from '../auth/sessions.ts';
import { signIn } from '../auth/sign-in.ts';
import { readJson } from '../http/read-json.ts';
import type { ServerDeps } from '../server-deps.ts';
import { rateLimited } from '../http/rate-limited.ts';
import { announce } from '../sync/live/announce.ts';
import type { ChangeNotifier } from '../sync/live/change-notifier.ts';

/** Mounted at `/v1`: `/auth/*`, `/me`, `/devices`. `GET /v1/users/lookup` is gone (PROTOCOL §1): colleagues join by invitation. */
export function createAuthRoutes(deps: ServerDeps & { readonly notifier: ChangeNotifier }): Hono<AppEnv> {
  const hasher = deps.passwords;
  // Computed once per app on first use; a random password nobody knows.
  let dummy: Promise<string> | undefined;
  const dummyHash = () => (dummy ??= hasher.hash(deps.ids.randomToken(32)));

  const app = new Hono<AppEnv>();

  app.post('/auth/register', async (c) => {
    const input = await readJson(c, registerRequestSchema);
    const outcome = await registerUser({ ...deps, hasher }, input, clientAddress(c, deps));
    switch (outcome.kind) {
      case 'registered':
        return c.json({ userId: outcome.userId } satisfies RegisterResponse, 201);
      case 'email_taken':
        throw new ApiError('email_taken', 'An account with this email already exists.');
      case 'rate_limited':
        throw rateLimited('Too many accounts created from this address. Try again later.', outcome.retryAfterSeconds);
      default:
        return assertNever(outcome);
    }
  });

  app.post('/auth/sign-in', async (c) => {
    const input = await readJson(c, signInRequestSchema);
    const outcome = await signIn({ ...deps, hasher, dummyHash }, input, clientAddress(c, deps));
    switch (outcome.kind) {
      case 'signed_in':
        return c.json(outcome.response);
      case 'rate_limited':
        throw rateLimited('Too many failed sign-in attempts. Try again later.', outcome.retryAfterSeconds);
      case 'refused':
        throw new ApiError('unauthorized', 'Email or password is incorrect.');
      default:
        return assertNever(outcome);
    }
  });

  app.post('/auth/refresh', async (c) => {
    const input = await readJson(c, refreshRequestSchema);
    const outcome = await rotateRefreshToken(deps.db, deps, input.refreshToken);
    switch (outcome.kind) {
      case 'rotated': {
        const auth = await issueAuthToken(deps, { userId: outcome.userId, sessionId: outcome.sessionId });
        return c.json({
          authToken: auth.token,
          authExpiresAt: auth.expiresAt,
          refreshToken: outcome.refreshToken,
        } satisfies RefreshResponse);
      }
      case 'unknown':
        throw new ApiError('unauthorized', 'The refresh token is not valid. Sign in again.');
      case 'expired':
        throw new ApiError('token_expired', 'The session has expired. Sign in again.');
      case 'revoked':
      case 'reused':
        // The same answer for both: telling a thief that theft was detected helps only them.
        throw new ApiError('token_revoked', 'This session has ended. Sign in again.');
      default:
        return assertNever(outcome);
    }
  });

  // Per-route gates, not `use('*')`: this app is mounted at /v1, where a
  // wildcard would also cover the sync routes, which take the other token kind.
  const authToken = requireAuthToken(deps);

  app.post('/auth/sign-out', authToken, async (c) => {
    await revokeSession(deps.db, c.get('authActor').sessionId, 'sign_out', deps.clock.now());
    return c.json({ ok: true } as const);
  });

  app.get('/me', authToken, async (c) => {
    const { userId } = c.get('authActor');
    const user = await deps.db
      .selectFrom('users')
      .select(['id', 'email', 'name'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    const organizations = await listMemberships(deps.db, userId);
    return c.json({
      user: { id: user.id as UserId, email: user.email, name: user.name },
      organizations,
    } satisfies MeResponse);
  });

  app.get('/devices', authToken, async (c) => {
    return c.json({ devices: await listDevices(deps.db, c.get('authActor').userId) } satisfies DevicesResponse);
  });

  app.delete('/devices/:deviceId', authToken, async (c) => {
    const deviceId = deviceIdSchema.safeParse(c.req.param('deviceId'));
    // A malformed id names no device of the caller's: the same answer as an unknown one.
    const revoked =
      deviceId.success &&
      (await revokeDevice(deps.db, {
        userId: c.get('authActor').userId,
        deviceId: deviceId.data,
        now: deps.clock.now(),
      }));
    if (!revoked) throw new ApiError('not_found', 'You have no device with this id.');
    // A waiting pull of that device ends now with 401 instead of at its timeout (PROTOCOL §4 "Live").
    announce(deps.notifier, [c.get('authActor').userId], c.get('log'));
    return c.json({ ok: true } as const);
  });

  return app;
}
