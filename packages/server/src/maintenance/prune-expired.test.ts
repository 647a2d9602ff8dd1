import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/support/dialects.ts';
import { testDeps, type TestDeps } from '../../test/support/test-deps.ts';
import { pruneExpired } from './prune-expired.ts';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const DAY = 24 * 60 * 60 * 1000;

describeEachDialect('pruneExpired', (dialect) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await testDeps({ url: await dialect.databaseUrl() });
    const db = deps.db;
    await db
      .insertInto('users')
      .values({ id: 'u1', email: 'a@example.test', name: 'A', password_hash: 'x', created_at: ago(400 * DAY) })
      .execute();
    await db
      .insertInto('sessions')
      .values([
        {
          id: 'old-dead',
          user_id: 'u1',
          device_id: null,
          created_at: ago(60 * DAY),
          revoked_at: null,
          revoked_reason: null,
        },
        {
          id: 'old-alive',
          user_id: 'u1',
          device_id: null,
          created_at: ago(60 * DAY),
          revoked_at: null,
          revoked_reason: null,
        },
        {
          id: 'brand-new',
          user_id: 'u1',
          device_id: null,
          created_at: ago(1000),
          revoked_at: null,
          revoked_reason: null,
        },
      ])
      .execute();
    await db
      .insertInto('refresh_tokens')
      .values([
        {
          token_hash: 'expired',
          session_id: 'old-dead',
          created_at: ago(40 * DAY),
          expires_at: ago(10 * DAY),
          used_at: null,
        },
        {
          token_hash: 'live',
          session_id: 'old-alive',
          created_at: ago(DAY),
          expires_at: new Date(NOW.getTime() + 29 * DAY).toISOString(),
          used_at: null,
        },
      ])
      .execute();
    await db
      .insertInto('rate_limits')
      .values([
        { key: 'ended', window_started_at: ago(2 * DAY), hits: 3 },
        { key: 'running', window_started_at: ago(60 * 1000), hits: 3 },
      ])
      .execute();
    await db
      .insertInto('applied_events')
      .values(
        [
          ['e-old', ago(91 * DAY)],
          ['e-recent', ago(89 * DAY)],
        ].map(([eventId, at]) => ({
          event_id: eventId!,
          user_id: 'u1',
          device_id: 'd1',
          organization_id: null,
          fingerprint: 'f',
          outcome: '{}',
          created_at: at!,
        })),
      )
      .execute();
  });
  afterAll(() => deps.database.close());

  it('deletes only what can no longer matter', async () => {
    const counts = await pruneExpired(deps.db, deps.config, NOW);
    expect(counts).toEqual({ refreshTokens: 1, sessions: 1, rateLimits: 1, appliedEvents: 1 });
    const ids = async (table: 'sessions' | 'rate_limits' | 'applied_events' | 'refresh_tokens', column: string) =>
      (
        await deps.db
          .selectFrom(table)
          .select(column as never)
          .execute()
      )
        .map((r) => Object.values(r)[0])
        .sort();
    expect(await ids('sessions', 'id')).toEqual(['brand-new', 'old-alive']);
    expect(await ids('refresh_tokens', 'token_hash')).toEqual(['live']);
    expect(await ids('rate_limits', 'key')).toEqual(['running']);
    expect(await ids('applied_events', 'event_id')).toEqual(['e-recent']);
  });

  it('is idempotent', async () => {
    expect(await pruneExpired(deps.db, deps.config, NOW)).toEqual({
      refreshTokens: 0,
      sessions: 0,
      rateLimits: 0,
      appliedEvents: 0,
    });
  });
});
