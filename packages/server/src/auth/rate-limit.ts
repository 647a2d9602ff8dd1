/**
 * Fixed-window counters kept in the database, so every server instance sharing
 * it enforces one limit (registrations per address; sign-in failures have
 * their own growing delays, sign-in-throttle.ts). The counter is updated with
 * one atomic upsert, so concurrent requests on several instances never lose a
 * hit. Counters are keyed by `throttleKey`, so no address sits in the table.
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';

export type RateLimitRule = { readonly max: number; readonly windowSeconds: number };
export type RateLimitCounter = { readonly hits: number; readonly windowStartedAt: string };
export type RateLimitDecision = { kind: 'allowed' } | { kind: 'limited'; retryAfterSeconds: number };

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
