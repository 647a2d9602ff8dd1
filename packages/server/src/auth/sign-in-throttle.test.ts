import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../db/connect.ts';
import { migrate } from '../db/migrate.ts';
import { delaySeconds, takeAttempt } from './sign-in-throttle.ts';

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

describe('takeAttempt', () => {
  let database: Database;
  beforeAll(async () => {
    database = connectDatabase({ url: ':memory:' });
    await migrate(database.db, database.caps);
  });
  afterAll(() => database.close());
  const at = (ms: number) => new Date(Date.parse('2026-01-01T00:00:00.000Z') + ms);

  it('lets an attempt whose clock reading is older than a concurrent one through while failures are free', async () => {
    // Requests read the clock when they arrive; the later reading may be counted first.
    expect(await takeAttempt(database.db, 'skew', rule, at(50))).toEqual({ kind: 'allowed' });
    expect(await takeAttempt(database.db, 'skew', rule, at(10))).toEqual({ kind: 'allowed' });
    const row = await database.db
      .selectFrom('sign_in_throttle')
      .selectAll()
      .where('key', '=', 'skew')
      .executeTakeFirst();
    expect(row).toMatchObject({ failures: 2, last_failure_at: at(50).toISOString() });
  });

  it('makes the attempt after the free failures wait, and lets it through once the wait is over', async () => {
    for (let i = 0; i < rule.freeFailures; i++)
      expect(await takeAttempt(database.db, 'guess', rule, at(i))).toEqual({ kind: 'allowed' });
    expect(await takeAttempt(database.db, 'guess', rule, at(10))).toEqual({ kind: 'allowed' });
    expect(await takeAttempt(database.db, 'guess', rule, at(20))).toEqual({ kind: 'limited', retryAfterSeconds: 1 });
    expect(await takeAttempt(database.db, 'guess', rule, at(1010))).toEqual({ kind: 'allowed' });
    expect(await takeAttempt(database.db, 'guess', rule, at(1020))).toEqual({ kind: 'limited', retryAfterSeconds: 2 });
  });
});
