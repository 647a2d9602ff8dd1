/**
 * How long to wait before retry number `attempt` (0-based) after network
 * errors and 5xx: exponential, capped, with "equal jitter" so a clinic's
 * devices coming back together do not retry in lockstep, yet never retry
 * sooner than half the exponential step. Pure.
 */

export type BackoffPolicy = { readonly baseMs: number; readonly maxMs: number };

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/** A delay in [step/2, step] where step = min(maxMs, baseMs·2^attempt). */
export function nextDelay(attempt: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : attempt > 0 ? Number.MAX_SAFE_INTEGER : 0;
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n, 1024));
  const r = Math.min(1, Math.max(0, random() || 0));
  return Math.round(step / 2 + (r * step) / 2);
}
