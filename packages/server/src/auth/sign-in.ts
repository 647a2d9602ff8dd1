/**
 * Sign-in (PROTOCOL §1 `POST /v1/auth/sign-in`): checks the password, opens a
 * UI session and issues this device a new sync token.
 *
 * Attempts are counted per account (normalised email) and per client
 * address in the database before the password is looked at; once either has
 * `signInMaxAttempts` failures within `signInWindowSeconds`, attempts are
 * refused with `rate_limited`. A right password takes its own hit back from
 * the address. A success clears the account's counter only: an
 * attacker with an account of their own must not be able to reset the
 * counter of the address they are guessing from.
 */
import type { SignInRequest, SignInResponse, UserId } from '@clinicsync/protocol';
import type { ServerDeps } from '../server-deps.ts';
import { issueAuthToken } from './auth-token.ts';
import { issueSyncToken } from './devices.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { clearRateLimit, consumeRateLimit, forgiveRateLimitHit, rateLimitKey, type RateLimitDecision } from './rate-limit.ts';
import { startSession } from './sessions.ts';

export type SignInDeps = Pick<ServerDeps, 'db' | 'clock' | 'ids' | 'secrets' | 'config' | 'hashing'> & {
  readonly hasher: PasswordHasher;
  /** A valid hash of no one's password, verified for unknown emails so they cost the same time as a wrong password. */
  readonly dummyHash: () => Promise<string>;
};

export type SignInOutcome =
  | { kind: 'signed_in'; response: SignInResponse }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  /** Unknown email or wrong password: deliberately one outcome. */
  | { kind: 'refused' };

/** Signs a user in from one device and address; see the file comment for the limits. */
export async function signIn(deps: SignInDeps, input: SignInRequest, address: string): Promise<SignInOutcome> {
  const now = deps.clock.now();
  const rule = { max: deps.config.signInMaxAttempts, windowSeconds: deps.config.signInWindowSeconds };
  const accountKey = rateLimitKey(deps.hashing, 'sign-in:account', input.email);
  const addressKey = rateLimitKey(deps.hashing, 'sign-in:address', address);

  // Every attempt is counted before the password is checked, so a burst of
  // concurrent guesses cannot all slip through between check and count.
  const limited = mostRestrictive(await Promise.all([consumeRateLimit(deps.db, accountKey, rule, now), consumeRateLimit(deps.db, addressKey, rule, now)]));
  if (limited) return { kind: 'rate_limited', retryAfterSeconds: limited };

  const user = await deps.db.selectFrom('users').select(['id', 'email', 'name', 'password_hash']).where('email', '=', input.email).executeTakeFirst();
  const matches = await deps.hasher.verify(user?.password_hash ?? (await deps.dummyHash()), input.password);
  if (!user || !matches) return { kind: 'refused' };
  // A right password is not a failure: the address keeps only its failures.
  await forgiveRateLimitHit(deps.db, addressKey);

  const { sessionId, refreshToken, syncToken } = await deps.db.transaction().execute(async (trx) => {
    const session = await startSession(trx, deps, { userId: user.id, deviceId: input.deviceId });
    const sync = await issueSyncToken(trx, deps, { userId: user.id, deviceId: input.deviceId, deviceName: input.deviceName });
    return { ...session, syncToken: sync };
  });
  await clearRateLimit(deps.db, accountKey);
  const auth = await issueAuthToken(deps, { userId: user.id, sessionId });
  return {
    kind: 'signed_in',
    response: {
      user: { id: user.id as UserId, email: user.email, name: user.name },
      authToken: auth.token,
      authExpiresAt: auth.expiresAt,
      refreshToken,
      syncToken,
    },
  };
}

/** The longest Retry-After among limited counters, or undefined when none is limited. */
function mostRestrictive(decisions: readonly RateLimitDecision[]): number | undefined {
  const waits = decisions.flatMap((d) => (d.kind === 'limited' ? [d.retryAfterSeconds] : []));
  return waits.length > 0 ? Math.max(...waits) : undefined;
}
