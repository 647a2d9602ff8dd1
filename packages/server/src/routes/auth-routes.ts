/**
 * Accounts, sessions and devices (PROTOCOL §1). Handlers only read input,
 * call one auth step and turn its outcome into the wire answer.
 */
import { ApiError, assertNever, registerRequestSchema, signInRequestSchema, type RegisterResponse } from '@clinicsync/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { createArgon2PasswordHasher } from '../auth/argon2-password-hasher.ts';
import { clientAddress } from '../auth/client-address.ts';
import type { PasswordHasher } from '../auth/password-hasher.ts';
import { registerUser } from '../auth/register.ts';
import { signIn } from '../auth/sign-in.ts';
import { readJson } from '../http/read-json.ts';
import type { ServerDeps } from '../server-deps.ts';

export type AuthRoutesOptions = { readonly hasher?: PasswordHasher };

/** Mounted at `/v1`: `/auth/*`, `/me`, `/devices`, `/users/lookup`. */
export function createAuthRoutes(deps: ServerDeps, options: AuthRoutesOptions = {}): Hono<AppEnv> {
  const hasher = options.hasher ?? createArgon2PasswordHasher();
  // Computed once per app on first use; a random password nobody knows.
  let dummy: Promise<string> | undefined;
  const dummyHash = () => (dummy ??= hasher.hash(deps.ids.randomToken(32)));

  const app = new Hono<AppEnv>();

  app.post('/auth/register', async (c) => {
    const input = await readJson(c, registerRequestSchema);
    const outcome = await registerUser({ ...deps, hasher }, input);
    switch (outcome.kind) {
      case 'registered':
        return c.json({ userId: outcome.userId } satisfies RegisterResponse, 201);
      case 'email_taken':
        throw new ApiError('email_taken', 'An account with this email already exists.');
      default:
        return assertNever(outcome);
    }
  });

  app.post('/auth/sign-in', async (c) => {
    const input = await readJson(c, signInRequestSchema);
    const outcome = await signIn({ ...deps, hasher, dummyHash }, input, clientAddress(c, deps.config.trustProxy));
    switch (outcome.kind) {
      case 'signed_in':
        return c.json(outcome.response);
      case 'rate_limited':
        throw new ApiError('rate_limited', 'Too many failed sign-in attempts. Try again later.', {
          details: { retryAfterSeconds: outcome.retryAfterSeconds },
          headers: { 'Retry-After': String(outcome.retryAfterSeconds) },
        });
      case 'refused':
        throw new ApiError('unauthorized', 'Email or password is incorrect.');
      default:
        return assertNever(outcome);
    }
  });

  return app;
}
