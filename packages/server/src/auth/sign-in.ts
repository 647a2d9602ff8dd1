/**
 * Sign-in (PROTOCOL §1 `POST /v1/auth/sign-in`): checks the password, opens a
 * UI session and issues this device a new sync token.
 *
 * Failed attempts slow guessing down without locking anyone out
 * (docs/security.md "Sign-in throttling"). A device that has signed in to
 * this account before (its sync token not revoked) is *known* and has a
 * bucket of its own, so nobody else's failures ever delay its owner. Any
 * other attempt counts in three buckets: this account from this address,
 * this account from anywhere, and this address for any account. Each
 * allows some free failures, then makes every further one wait twice as
 * long as the last, up to a ceiling. The attempt is counted before the
 * password is checked; a right password clears the account's buckets and
 * takes its own hit back from the address's.
 */
import type { SignInRequest, SignInResponse, UserId } from '@clinicsync/protocol';
import type { ServerConfig } from '../config.ts';
import type { Hashing } from '../hashing.ts';
import type { ServerDeps } from '../server-deps.ts';
import { issueAuthToken } from './auth-token.ts';
import { issueSyncToken } from './devices.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { startSession } from './sessions.ts';
import {
  clearThrottle,
  forgiveAttempt,
  takeAttempt,
  throttleKey,
  type ThrottleDecision,
  type ThrottleRule,
} from './sign-in-throttle.ts';

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

/** Signs a user in from one device and address; see the file comment for the throttling. */
export async function signIn(deps: SignInDeps, input: SignInRequest, address: string): Promise<SignInOutcome> {
  const now = deps.clock.now();
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash'])
    .where('email', '=', input.email)
    .executeTakeFirst();
  const known =
    user !== undefined &&
    (await deps.db
      .selectFrom('devices')
      .select('device_id')
      .where('user_id', '=', user.id)
      .where('device_id', '=', input.deviceId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()) !== undefined;
  const buckets = throttleBuckets(deps.config, deps.hashing, {
    email: input.email,
    deviceId: input.deviceId,
    address,
    known,
  });

  const taken: { key: string }[] = [];
  for (const bucket of buckets) {
    const decision: ThrottleDecision = await takeAttempt(deps.db, bucket.key, bucket.rule, now);
    if (decision.kind === 'limited') {
      // Not an attempt after all: the buckets already counted take it back.
      for (const done of taken) await forgiveAttempt(deps.db, done.key);
      return { kind: 'rate_limited', retryAfterSeconds: decision.retryAfterSeconds };
    }
    taken.push(bucket);
  }

  const matches = await deps.hasher.verify(user?.password_hash ?? (await deps.dummyHash()), input.password);
  if (!user || !matches) return { kind: 'refused' };
  // The owner proved their password: their account's buckets start over; the address keeps only its failures.
  await clearThrottle(
    deps.db,
    buckets.filter((b) => b.scope !== 'address').map((b) => b.key),
  );
  for (const bucket of buckets) if (bucket.scope === 'address') await forgiveAttempt(deps.db, bucket.key);

  const { sessionId, refreshToken, syncToken } = await deps.db.transaction().execute(async (trx) => {
    const session = await startSession(trx, deps, { userId: user.id, deviceId: input.deviceId });
    const sync = await issueSyncToken(trx, deps, {
      userId: user.id,
      deviceId: input.deviceId,
      deviceName: input.deviceName,
    });
    return { ...session, syncToken: sync };
  });
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

type Bucket = {
  readonly scope: 'device' | 'account_address' | 'account' | 'address';
  readonly key: string;
  readonly rule: ThrottleRule;
};

/** The buckets an attempt counts in (docs/security.md "Sign-in throttling"). Pure. */
export function throttleBuckets(
  config: ServerConfig,
  hashing: Pick<Hashing, 'sha256Hex'>,
  attempt: { email: string; deviceId: string; address: string; known: boolean },
): Bucket[] {
  const forgetAfterSeconds = config.signInForgetAfterSeconds;
  const pair: ThrottleRule = {
    freeFailures: config.signInFreeFailures,
    maxDelaySeconds: config.signInMaxDelaySeconds,
    forgetAfterSeconds,
  };
  if (attempt.known)
    return [
      {
        scope: 'device',
        key: throttleKey(hashing, 'sign-in:account-device', attempt.email, attempt.deviceId),
        rule: pair,
      },
    ];
  return [
    {
      scope: 'account_address',
      key: throttleKey(hashing, 'sign-in:account-address', attempt.email, attempt.address),
      rule: pair,
    },
    {
      scope: 'account',
      key: throttleKey(hashing, 'sign-in:account', attempt.email),
      rule: {
        freeFailures: config.signInAccountFreeFailures,
        maxDelaySeconds: config.signInWideMaxDelaySeconds,
        forgetAfterSeconds,
      },
    },
    {
      scope: 'address',
      key: throttleKey(hashing, 'sign-in:address', attempt.address),
      rule: {
        freeFailures: config.signInAddressFreeFailures,
        maxDelaySeconds: config.signInWideMaxDelaySeconds,
        forgetAfterSeconds,
      },
    },
  ];
}
