/** Creates an account (PROTOCOL §1 `POST /v1/auth/register`). */
import type { RegisterRequest, UserId } from '@clinicsync/protocol';
import type { ServerDeps } from '../server-deps.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { consumeRateLimit } from './rate-limit.ts';
import { throttleKey } from './sign-in-throttle.ts';

export type RegisterDeps = Pick<ServerDeps, 'db' | 'caps' | 'clock' | 'ids' | 'config' | 'hashing'> & {
  readonly hasher: PasswordHasher;
};
export type RegisterOutcome =
  | { kind: 'registered'; userId: UserId }
  | { kind: 'email_taken' }
  | { kind: 'rate_limited'; retryAfterSeconds: number };

/**
 * Stores a new user with an argon2id password hash; `email_taken` when the
 * (normalised) email exists. Attempts are counted per client address, so
 * nobody can create accounts or probe emails in bulk from one place.
 */
export async function registerUser(
  deps: RegisterDeps,
  input: RegisterRequest,
  address: string,
): Promise<RegisterOutcome> {
  const rule = { max: deps.config.registerMaxAttempts, windowSeconds: deps.config.registerWindowSeconds };
  const decision = await consumeRateLimit(
    deps.db,
    throttleKey(deps.hashing, 'register:address', address),
    rule,
    deps.clock.now(),
  );
  if (decision.kind === 'limited') return { kind: 'rate_limited', retryAfterSeconds: decision.retryAfterSeconds };
  const existing = await deps.db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
  if (existing) return { kind: 'email_taken' };
  const userId = deps.ids.newId() as UserId;
  const passwordHash = await deps.hasher.hash(input.password);
  try {
    await deps.db
      .insertInto('users')
      .values({
        id: userId,
        email: input.email,
        name: input.name,
        password_hash: passwordHash,
        created_at: deps.clock.now().toISOString(),
      })
      .execute();
  } catch (error) {
    // Two registrations of one email racing: the unique index decides.
    if (deps.caps.isUniqueViolation(error)) return { kind: 'email_taken' };
    throw error;
  }
  return { kind: 'registered', userId };
}
