import { randomUUID } from 'node:crypto';
import { SCHEMA_VERSION, type EventId, type EventResult } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/dialects.ts';
import { testDeps, type TestDeps } from '../../../test/support/test-deps.ts';
import { seedUser } from '../../admin/seed-org.fixture.ts';
import type { Actor } from './event-types.ts';
import { runPush } from './run-push.ts';

/** A birth date "today" on the writer's calendar (docs/protocol-clarifications.md, "A birth date today"), at a fixed server clock. */
describeEachDialect('checkClinical: a birth date judged by the writer’s stamp', (dialect) => {
  let deps: TestDeps;
  let actor: Actor;
  let org: string;

  beforeAll(async () => {
    deps = await testDeps({ url: await dialect.databaseUrl() });
    const userId = await seedUser(deps.db, 'U');
    actor = { userId, deviceId: randomUUID() };
    org = randomUUID();
    const created = await push(
      [
        { table: 'organizations', data: { name: 'Clinic' } },
        { table: 'members', data: { organization_id: org, user_id: userId, role: 'admin' } },
      ],
      org,
    );
    expect(created).toEqual(['applied', 'applied']);
  });
  afterAll(() => deps.database.close());

  async function push(
    events: readonly { table: string; data: Record<string, unknown>; createdAt?: string }[],
    firstId?: string,
  ): Promise<string[]> {
    const results: EventResult[] = await runPush(deps, {
      actor,
      schemaVersion: SCHEMA_VERSION,
      events: events.map((e, i) => {
        const raw = {
          eventId: randomUUID(),
          table: e.table,
          op: 'INSERT',
          recordId: i === 0 && firstId ? firstId : randomUUID(),
          baseVersion: 0,
          data: e.data,
          ...(e.createdAt ? { createdAt: e.createdAt } : {}),
        };
        return { eventId: raw.eventId as EventId, raw };
      }),
    });
    return results.map((r) => (r.status === 'rejected' ? `rejected:${r.code}` : r.status));
  }

  const born = (birth_date: string, createdAt?: string) => ({
    table: 'patients',
    data: { organization_id: org, given_name: 'Baby', family_name: 'Tane', birth_date },
    ...(createdAt ? { createdAt } : {}),
  });

  it('accepts today in the earliest zone (UTC+14) and refuses a date no clock on Earth shows yet', async () => {
    // 00:30 UTC on 1 December: 14:30 on 1 December in Kiribati, the first place to reach any date.
    deps.clock.set('2026-12-01T00:30:00Z');
    expect(
      await push([
        born('2026-12-01', '2026-12-01T14:30:00.000+14:00'),
        born('2026-12-02', '2026-12-01T14:30:00.000+14:00'),
        // The same instant written with an offset no time zone has: its "date" is 2 December.
        born('2026-12-02', '2026-12-02T00:29:00.000+23:59'),
        born('2026-12-02', '2026-12-01T23:30:00.000-01:00'),
        born('2026-12-02'),
      ]),
    ).toEqual([
      'applied',
      'rejected:invalid_event',
      'rejected:invalid_event',
      'rejected:invalid_event',
      'rejected:invalid_event',
    ]);
  });

  it('accepts a baby born this morning in Auckland whose date is still tomorrow in UTC', async () => {
    deps.clock.set('2026-12-01T20:00:00Z');
    expect(
      await push([born('2026-12-02', '2026-12-02T09:00:00.000+13:00'), born('2026-12-02', '2026-12-01T20:00:00.000Z')]),
    ).toEqual(['applied', 'rejected:invalid_event']);
  });
});
