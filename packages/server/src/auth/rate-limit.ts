/**
 * Fixed-window counters kept in the database, so every server instance sharing
 * it enforces one limit (sign-in failures per account and per address, user
 * look-ups per caller). The counter is updated with one atomic upsert, so
 * concurrent requests on several instances never lose a hit.
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';
import type { Hashing } from '../hashing.ts';

export type RateLimitRule = { readonly max: number; readonly windowSeconds: number };
export type RateLimitCounter = { readonly hits: number; readonly windowStartedAt: string };
export type RateLimitDecision = { kind: 'allowed' } | { kind: 'limited'; retryAfterSeconds: number };

/** The stored key of a counter: SHA-256 of scope and subject, so no email or address sits in the table. */
export function rateLimitKey(hashing: Pick<Hashing, 'sha256Hex'>, scope: string, subject: string): string {
  return hashing.sha256Hex(`${scope}\u0000${subject}`);
}

/** Whether a counter has used up its window: limited once `hits` reaches `max` within the window. Pure. */
export function decideRateLimit(
  counter: RateLimitCounter | undefined,
  rule: RateLimitRule,
  now: Date,
): RateLimitDecision {
  if (!counter) return { kind: 'allowed' };
  const endsAt = new Date(counter.windowStartedAt).getTime() + rule.windowSeconds * 1000;
  if (endsAt <= now.getTime() || counter.hits < rule.max) return { kind: 'allowed' };
  return { kind: 'limited', retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)) };
}

/** Reads a counter and decides, without counting this request. */
export async function checkRateLimit(
  db: Kysely<ServerDb>,
  key: string,
  rule: RateLimitRule,
  now: Date,
): Promise<RateLimitDecision> {
  const row = await db
    .selectFrom('rate_limits')
    .select(['hits', 'window_started_at'])
    .where('key', '=', key)
    .executeTakeFirst();
  return decideRateLimit(row && { hits: Number(row.hits), windowStartedAt: row.window_started_at }, rule, now);
}

/** Counts one hit, starting a new window when the stored one has ended; returns the counter after the hit. */
export async function recordRateLimitHit(
  db: Kysely<ServerDb>,
  key: string,
  rule: RateLimitRule,
  now: Date,
): Promise<RateLimitCounter> {
  const nowIso = now.toISOString();
  // ISO-8601 UTC strings from toISOString() sort as the instants they name.
  const windowEndedBefore = new Date(now.getTime() - rule.windowSeconds * 1000).toISOString();
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_started_at: nowIso, hits: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => {
        const expired = eb('rate_limits.window_started_at', '<=', windowEndedBefore);
        return {
          hits: eb
            .case()
            .when(expired)
            .then(1)
            .else(eb('rate_limits.hits', '+', 1))
            .end(),
          window_started_at: eb.case().when(expired).then(nowIso).else(eb.ref('rate_limits.window_started_at')).end(),
        };
      }),
    )
    .returning(['hits', 'window_started_at'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), windowStartedAt: row.window_started_at };
}

/** Counts this request and decides whether it may proceed (limited once hits exceed `max`). */
export async function consumeRateLimit(
  db: Kysely<ServerDb>,
  key: string,
  rule: RateLimitRule,
  now: Date,
): Promise<RateLimitDecision> {
  const counter = await recordRateLimitHit(db, key, rule, now);
  // The hit just counted is this request: it is allowed while the count stays within max.
  return decideRateLimit({ ...counter, hits: counter.hits - 1 }, rule, now);
}

/** Takes back one hit counted by `consumeRateLimit` (a sign-in that turned out to be right). */
export async function forgiveRateLimitHit(db: Kysely<ServerDb>, key: string): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set((eb) => ({ hits: eb('rate_limits.hits', '-', 1) }))
    .where('key', '=', key)
    .where('hits', '>', 0)
    .execute();
}

/** Forgets a counter (a successful sign-in clears its account's failures). */
export async function clearRateLimit(db: Kysely<ServerDb>, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
