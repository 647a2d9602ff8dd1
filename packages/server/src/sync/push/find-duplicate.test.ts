import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/support/test-deps.ts';
import { fingerprintEvent, fingerprintsOf } from './fingerprint-event.ts';
import { openOutcomeLedger } from './find-duplicate.ts';

describe('the outcome ledger', () => {
  it('recognises a re-send of an event stored before ids were folded, by its fingerprint as sent', async () => {
    const deps = await testDeps();
    const actor = { userId: randomUUID(), deviceId: randomUUID() };
    const eventId = randomUUID();
    const shouted = {
      eventId,
      table: 'teams',
      op: 'INSERT',
      recordId: randomUUID().toUpperCase(),
      baseVersion: 0,
      data: { organization_id: randomUUID().toUpperCase(), name: 'Ward' },
      createdAt: '2026-01-01T00:00:00Z',
    };
    // Stored as the server stored fingerprints then: over the event as sent, capitals and all.
    await deps.db
      .insertInto('applied_events')
      .values({
        event_id: eventId,
        user_id: actor.userId,
        device_id: actor.deviceId,
        organization_id: null,
        fingerprint: fingerprintEvent(shouted, deps.hashing),
        outcome: JSON.stringify({ status: 'applied', version: 1 }),
        created_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
    const checked = await deps.db.transaction().execute(async (trx) => {
      const ledger = await openOutcomeLedger(trx, deps.caps, {
        actor,
        eventIds: [eventId],
        now: '2026-01-02T00:00:00Z',
      });
      return ledger.check(eventId, fingerprintsOf(shouted, deps.hashing));
    });
    expect(checked).toEqual({ kind: 'duplicate', original: { status: 'applied', version: 1 } });
    await deps.database.close();
  });
});
