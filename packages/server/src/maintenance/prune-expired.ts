/**
 * Housekeeping: deletes what can no longer matter, so tables that grow with
 * every request stay bounded. Safe to run on every instance at once (plain
 * deletes of rows past their use), and cheap thanks to 0004's indexes.
 *
 * - refresh tokens past their expiry (an expired token is refused anyway);
 * - sessions left with no refresh token (their auth tokens have expired too);
 * - rate-limit counters whose window ended, sign-in throttle buckets past forgetting;
 * - remembered push outcomes older than `appliedEventsRetentionDays`: an
 *   event re-sent after that is no longer recognised as a duplicate, but it
 *   cannot apply twice either: its INSERT meets the existing row and its
 *   UPDATE or DELETE a newer version, so the version guard answers conflict.
 */
import type { Kysely } from 'kysely';
import type { ServerConfig } from '../config.ts';
import type { ServerDb } from '../db/schema.ts';

export type PruneCounts = {
  readonly refreshTokens: number;
  readonly sessions: number;
  readonly rateLimits: number;
  readonly appliedEvents: number;
};

export async function pruneExpired(db: Kysely<ServerDb>, config: ServerConfig, now: Date): Promise<PruneCounts> {
  const iso = (msAgo: number) => new Date(now.getTime() - msAgo).toISOString();
  const longestWindowMs = 1000 * config.registerWindowSeconds;

  const refreshTokens = await db
    .deleteFrom('refresh_tokens')
    .where('expires_at', '<', now.toISOString())
    .executeTakeFirst();
  const sessions = await db
    .deleteFrom('sessions')
    // Younger sessions may be mid sign-in, before their first refresh token is written.
    .where('created_at', '<', iso(config.authTokenTtlSeconds * 1000))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('refresh_tokens').select('token_hash').whereRef('refresh_tokens.session_id', '=', 'sessions.id'),
        ),
      ),
    )
    .executeTakeFirst();
  const rateLimits = await db
    .deleteFrom('rate_limits')
    .where('window_started_at', '<', iso(longestWindowMs))
    .executeTakeFirst();
  // A throttle bucket forgets its failures this long after the last one: the row can go.
  const throttles = await db
    .deleteFrom('sign_in_throttle')
    .where('last_failure_at', '<', iso(config.signInForgetAfterSeconds * 1000))
    .executeTakeFirst();
  const appliedEvents = await db
    .deleteFrom('applied_events')
    .where('created_at', '<', iso(config.appliedEventsRetentionDays * 24 * 60 * 60 * 1000))
    .executeTakeFirst();
  return {
    refreshTokens: Number(refreshTokens.numDeletedRows),
    sessions: Number(sessions.numDeletedRows),
    rateLimits: Number(rateLimits.numDeletedRows) + Number(throttles.numDeletedRows),
    appliedEvents: Number(appliedEvents.numDeletedRows),
  };
}
