/**
 * Progressive delays for failed sign-ins (docs/security.md "Sign-in
 * throttling", OWASP Authentication Cheat Sheet): a bucket (an account and
 * an address, an account and a known device, an account, an address)
 * allows a few free failures, then each further failure doubles the wait
 * before the next attempt, up to a ceiling; the bucket forgets its failures
 * some time after the last one. Nothing is ever locked for good, and no
 * single bucket's failures reach the people who do not share it.
 *
 * Every attempt is counted before its password is checked (a success then
 * clears or forgives it), with a compare-and-set on the counter, so a burst
 * of concurrent guesses gets one attempt per state instead of all slipping
 * through between check and count, on every instance sharing the database.
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';
import type { Hashing } from '../hashing.ts';

export type ThrottleRule = {
  /** Failures without any wait. */
  readonly freeFailures: number;
  /** The longest wait between attempts, however many failures. */
  readonly maxDelaySeconds: number;
  /** A bucket's failures are forgotten this long after its last one. */
  readonly forgetAfterSeconds: number;
};

export type ThrottleDecision =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'limited'; readonly retryAfterSeconds: number };

/** The stored key of a bucket: SHA-256 of scope and subject, so no email, address or device id sits in the table. */
export function throttleKey(hashing: Pick<Hashing, 'sha256Hex'>, scope: string, ...subject: string[]): string {
  return hashing.sha256Hex([scope, ...subject].join('\u0000'));
}

/** The wait after `failures` failures: none while free, then 1 s, 2 s, 4 s … up to the ceiling. Pure. */
export function delaySeconds(failures: number, rule: ThrottleRule): number {
  const beyond = failures - rule.freeFailures;
  if (beyond <= 0) return 0;
  return Math.min(rule.maxDelaySeconds, 2 ** Math.min(beyond - 1, 30));
}

/**
 * Counts one attempt against the bucket unless it must wait; `limited` with
 * the seconds to wait otherwise. Each attempt must win a compare-and-set on
 * the state it decided on, so a burst is counted one by one and meets the
 * delays as they grow.
 */
export async function takeAttempt(
  db: Kysely<ServerDb>,
  key: string,
  rule: ThrottleRule,
  now: Date,
): Promise<ThrottleDecision> {
  // A lost compare-and-set means another attempt moved the bucket first: decide again on its new state,
  // so simultaneous sign-ins of colleagues behind one address are all counted, none refused for the race alone.
  for (let round = 0; round < CAS_ROUNDS; round++) {
    const outcome = await tryTakeAttempt(db, key, rule, now);
    if (outcome !== 'raced') return outcome;
  }
  return { kind: 'limited', retryAfterSeconds: 1 };
}

// Each round one of the racing attempts wins its compare-and-set, so a burst of up to this many simultaneous
// sign-ins of one bucket all get decided; only a larger burst meets a one-second wait.
const CAS_ROUNDS = 200;

async function tryTakeAttempt(
  db: Kysely<ServerDb>,
  key: string,
  rule: ThrottleRule,
  now: Date,
): Promise<ThrottleDecision | 'raced'> {
  const row = await db.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  const lastMs = row ? Date.parse(row.last_failure_at) : Number.NEGATIVE_INFINITY;
  const forgotten = row !== undefined && lastMs + rule.forgetAfterSeconds * 1000 <= now.getTime();
  const counted = row && !forgotten ? Number(row.failures) : 0;
  // Only a bucket past its free failures makes anyone wait. Deciding that from the stored time alone would
  // refuse an attempt whose clock reading is a few milliseconds older than a concurrent one's (requests read
  // the clock when they arrive, instances each have their own), though no delay was ever due.
  if (row && delaySeconds(counted, rule) > 0) {
    const waitMs = Date.parse(row.next_allowed_at) - now.getTime();
    if (waitMs > 0) return { kind: 'limited', retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
  const failures = counted + 1;
  // The latest attempt's time stays, so a late-arriving older reading neither rewinds the delay nor the forgetting.
  const lastFailureMs = forgotten ? now.getTime() : Math.max(now.getTime(), lastMs);
  const values = {
    failures,
    last_failure_at: new Date(lastFailureMs).toISOString(),
    next_allowed_at: new Date(lastFailureMs + delaySeconds(failures, rule) * 1000).toISOString(),
  };
  if (!row) {
    const inserted = await db
      .insertInto('sign_in_throttle')
      .values({ key, ...values })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    return inserted ? { kind: 'allowed' } : 'raced';
  }
  const updated = await db
    .updateTable('sign_in_throttle')
    .set(values)
    .where('key', '=', key)
    .where('failures', '=', row.failures)
    .where('last_failure_at', '=', row.last_failure_at)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0 ? { kind: 'allowed' } : 'raced';
}

/** Takes back one counted attempt (a right password is not a failure), leaving the bucket's earlier failures. */
export async function forgiveAttempt(db: Kysely<ServerDb>, key: string): Promise<void> {
  await db
    .updateTable('sign_in_throttle')
    .set((eb) => ({ failures: eb('failures', '-', 1) }))
    .where('key', '=', key)
    .where('failures', '>', 0)
    .execute();
}

/** Forgets buckets (the owner proved their password: their own buckets start over). */
export async function clearThrottle(db: Kysely<ServerDb>, keys: readonly string[]): Promise<void> {
  if (keys.length > 0)
    await db
      .deleteFrom('sign_in_throttle')
      .where('key', 'in', [...keys])
      .execute();
}
