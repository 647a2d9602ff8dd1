/**
 * `GET /v1/users/lookup?email=` (PROTOCOL §1): turns an email into a user id
 * so an admin can add that person as a member. It confirms whether an account
 * exists, so only admins may ask and each caller is rate limited.
 */
import type { LookupResponse, UserId } from '@clinicsync/protocol';
import type { ServerDeps } from '../server-deps.ts';
import { isAdminAnywhere } from './memberships.ts';
import { consumeRateLimit, rateLimitKey } from './rate-limit.ts';

export type LookupOutcome =
  | { kind: 'found'; user: LookupResponse }
  | { kind: 'not_found' }
  | { kind: 'forbidden' }
  | { kind: 'rate_limited'; retryAfterSeconds: number };

/** Looks a user up by normalised email for a caller who is admin somewhere; every admin request counts towards the caller's limit. */
export async function lookupUser(deps: Pick<ServerDeps, 'db' | 'clock' | 'config'>, input: { callerId: string; email: string }): Promise<LookupOutcome> {
  if (!(await isAdminAnywhere(deps.db, input.callerId))) return { kind: 'forbidden' };
  const rule = { max: deps.config.lookupMaxRequests, windowSeconds: deps.config.lookupWindowSeconds };
  const decision = await consumeRateLimit(deps.db, rateLimitKey('lookup:caller', input.callerId), rule, deps.clock.now());
  if (decision.kind === 'limited') return { kind: 'rate_limited', retryAfterSeconds: decision.retryAfterSeconds };
  const user = await deps.db.selectFrom('users').select(['id', 'name']).where('email', '=', input.email).executeTakeFirst();
  return user ? { kind: 'found', user: { userId: user.id as UserId, name: user.name } } : { kind: 'not_found' };
}
