/**
 * How long to wait before retry number `attempt` (0-based) after network
 * errors and 5xx: exponential, capped, with "equal jitter" so a clinic's
 * devices coming back together do not retry in lockstep, yet never retry
 * sooner than half the exponential step. Pure.
 */
import type { TransportFailure } from './transport.ts';

export type BackoffPolicy = { readonly baseMs: number; readonly maxMs: number };

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/** A delay in [step/2, step] where step = min(maxMs, baseMs·2^attempt). */
export function nextDelay(attempt: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : attempt > 0 ? Number.MAX_SAFE_INTEGER : 0;
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n, 1024));
  const r = Math.min(1, Math.max(0, random() || 0));
  return Math.round(step / 2 + (r * step) / 2);
}

/**
 * The wait before retry `attempt` after `failure`: the backoff, or the
 * server's `Retry-After` when that is longer, though never more than ten of
 * the policy's longest steps, so a wrong header cannot stop sync for long.
 */
export function retryDelay(
  attempt: number,
  failure: TransportFailure,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const retryAfterMs = failure.kind === 'http' ? (failure.retryAfterMs ?? 0) : 0;
  return Math.max(nextDelay(attempt, random, policy), Math.min(retryAfterMs, policy.maxMs * 10));
}
