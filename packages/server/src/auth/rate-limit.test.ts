import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/support/dialects.ts';
import { connectDatabase, type Database } from '../db/connect.ts';
import { migrate } from '../db/migrate.ts';
import { nodeHashing } from '../node/node-hashing.ts';
import { consumeRateLimit, decideRateLimit, recordRateLimitHit } from './rate-limit.ts';
import { throttleKey } from './sign-in-throttle.ts';

const rule = { max: 3, windowSeconds: 60 };
const start = '2026-01-01T00:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(start) + seconds * 1000);

describe('decideRateLimit', () => {
  it.each([
    ['no counter yet', undefined, 0, { kind: 'allowed' }],
    ['below max', { hits: 2, windowStartedAt: start }, 10, { kind: 'allowed' }],
    ['at max inside the window', { hits: 3, windowStartedAt: start }, 10, { kind: 'limited', retryAfterSeconds: 50 }],
    [
      'a fraction of a second left rounds up',
      { hits: 3, windowStartedAt: start },
      59.2,
      { kind: 'limited', retryAfterSeconds: 1 },
    ],
    ['at max once the window has ended', { hits: 3, windowStartedAt: start }, 60, { kind: 'allowed' }],
  ] as const)('%s', (_label, counter, seconds, expected) => {
    expect(decideRateLimit(counter, rule, at(seconds))).toEqual(expected);
  });

  it('never asks to wait longer than the window, nor less than a second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 59_999 }), (hits, elapsedMs) => {
        const decision = decideRateLimit(
          { hits, windowStartedAt: start },
          rule,
          new Date(Date.parse(start) + elapsedMs),
        );
        if (decision.kind === 'limited') {
          expect(hits).toBeGreaterThanOrEqual(rule.max);
          expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          expect(decision.retryAfterSeconds).toBeLessThanOrEqual(rule.windowSeconds);
        } else {
          expect(hits).toBeLessThan(rule.max);
        }
      }),
    );
  });
});

describeEachDialect('rate limit counters in the database', (dialect) => {
  let database: Database;
  beforeAll(async () => {
    database = connectDatabase({ url: await dialect.databaseUrl(), poolSize: 10 });
    await migrate(database.db, database.caps);
  });
  afterAll(() => database.close());

  it('loses no hit when many requests count at once', async () => {
    const key = throttleKey(nodeHashing, 'test', 'concurrent');
    await Promise.all(Array.from({ length: 25 }, () => recordRateLimitHit(database.db, key, rule, at(1))));
    expect((await recordRateLimitHit(database.db, key, rule, at(2))).hits).toBe(26);
  });

  it('starts a new window once the stored one has ended', async () => {
    const key = throttleKey(nodeHashing, 'test', 'window');
    for (let i = 0; i < 3; i++) await recordRateLimitHit(database.db, key, rule, at(i));
    expect(await consumeRateLimit(database.db, key, rule, at(30))).toEqual({ kind: 'limited', retryAfterSeconds: 30 });
    expect(await recordRateLimitHit(database.db, key, rule, at(60))).toEqual({
      hits: 1,
      windowStartedAt: at(60).toISOString(),
    });
    expect(await consumeRateLimit(database.db, key, rule, at(61))).toEqual({ kind: 'allowed' });
  });

  it('consumes: allows max requests per window, then limits', async () => {
    const key = throttleKey(nodeHashing, 'test', 'consume');
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push((await consumeRateLimit(database.db, key, rule, at(0))).kind);
    expect(decisions).toEqual(['allowed', 'allowed', 'allowed', 'limited']);
  });
});
