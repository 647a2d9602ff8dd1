import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, nextDelay, retryDelay } from './backoff.ts';

describe('nextDelay', () => {
  it('stays within [step/2, step] with step = min(max, base·2^attempt), for any attempt and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (attempt, r, baseMs, extra) => {
          const policy = { baseMs, maxMs: baseMs + extra };
          const step = Math.min(policy.maxMs, baseMs * 2 ** Math.min(attempt, 1024));
          const delay = nextDelay(attempt, () => r, policy);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(step / 2));
          expect(delay).toBeLessThanOrEqual(Math.ceil(step));
          expect(delay).toBeLessThanOrEqual(policy.maxMs);
          expect(Number.isFinite(delay)).toBe(true);
        },
      ),
    );
  });

  it('never shrinks as attempts grow (for a fixed random value)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          expect(nextDelay(attempt + 1, () => r)).toBeGreaterThanOrEqual(nextDelay(attempt, () => r));
        },
      ),
    );
  });

  it('doubles from the base and caps at the maximum', () => {
    expect([0, 1, 2, 3].map((a) => nextDelay(a, () => 0.999999))).toEqual([1000, 2000, 4000, 8000]);
    expect(nextDelay(50, () => 0.5)).toBe(Math.round(DEFAULT_BACKOFF.maxMs * 0.75));
  });

  it('survives a broken random source and odd attempts', () => {
    expect(nextDelay(0, () => Number.NaN)).toBe(500);
    expect(nextDelay(-3, () => 2)).toBe(1000);
    expect(nextDelay(Number.POSITIVE_INFINITY, () => 0)).toBe(DEFAULT_BACKOFF.maxMs / 2);
  });
});

describe('retryDelay', () => {
  const policy = { baseMs: 1_000, maxMs: 60_000 };
  const limited = (retryAfterMs?: number) =>
    ({
      kind: 'http',
      status: 429,
      code: 'rate_limited',
      message: '',
      ...(retryAfterMs ? { retryAfterMs } : {}),
    }) as const;

  it("waits the server's Retry-After when it is longer than the backoff", () => {
    expect(retryDelay(0, limited(30_000), () => 1, policy)).toBe(30_000);
    expect(retryDelay(10, limited(1_000), () => 1, policy)).toBe(60_000);
  });

  it('never waits more than ten of the longest steps, whatever the header says', () => {
    expect(retryDelay(0, limited(86_400_000), () => 1, policy)).toBe(600_000);
  });

  it('backs off as usual without a Retry-After, or after a network error', () => {
    expect(retryDelay(2, limited(), () => 1, policy)).toBe(4_000);
    expect(retryDelay(2, { kind: 'network', message: 'down' }, () => 1, policy)).toBe(4_000);
  });
});
