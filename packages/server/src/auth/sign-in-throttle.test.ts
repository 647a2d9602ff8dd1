import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delaySeconds } from './sign-in-throttle.ts';

const rule = { freeFailures: 5, maxDelaySeconds: 60, forgetAfterSeconds: 3600 };

describe('delaySeconds', () => {
  it('is free up to the free failures, then doubles from one second to the ceiling', () => {
    expect([1, 5, 6, 7, 8, 11, 12, 13, 1000].map((n) => delaySeconds(n, rule))).toEqual([
      0, 0, 1, 2, 4, 32, 60, 60, 60,
    ]);
  });

  it('never shrinks with more failures and never passes the ceiling', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 86_400 }),
        (failures, free, ceiling) => {
          const r = { freeFailures: free, maxDelaySeconds: ceiling, forgetAfterSeconds: 1 };
          const now = delaySeconds(failures, r);
          expect(delaySeconds(failures + 1, r)).toBeGreaterThanOrEqual(now);
          expect(now).toBeLessThanOrEqual(ceiling);
          expect(now).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
