/**
 * Idempotency (PROTOCOL §3): every processed event is remembered with its
 * content fingerprint and outcome, so a re-sent event (its response was lost)
 * is answered with the original outcome and changes nothing.
 *
 * Per batch: the batch's eventIds are looked up in one query when it starts,
 * and the outcomes it produces are kept in memory (so a second copy of an
 * event later in the same batch is found too) and written in one multi-row
 * INSERT when it ends. If another connection remembers the same eventId
 * meanwhile (the same event pushed twice at once), that INSERT violates the
 * primary key, the batch is run again, and this time the event is a
 * duplicate.
 */
import { originalOutcomeSchema, type OriginalOutcome } from '@clinicsync/protocol';
import type { Insertable, Transaction } from 'kysely';
import type { AppliedEventsTable, ServerDb } from '../../db/schema.ts';
import { reject, type Actor, type Rejection } from './event-types.ts';
import type { EventFingerprint } from './fingerprint-event.ts';
import { insertRows, type RowWriter } from './insert-rows.ts';

export type DuplicateCheck =
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate'; readonly original: OriginalOutcome }
  | Rejection;

export type OutcomeLedger = {
  /**
   * `new`, `duplicate` (same user, same content), or `event_id_reused` when
   * another user sent the eventId or its content differs. Content is compared by the canonical fingerprint
   * (ids in lowercase), or by the one as sent for an outcome stored before ids were folded.
   */
  check(eventId: string, fingerprint: EventFingerprint): DuplicateCheck;
  /** Whether the eventId was processed before this batch (such events need no validation). */
  seenBefore(eventId: string): boolean;
  /** Remembers an event's first outcome; written by `flush` in the same transaction. */
  remember(input: {
    readonly eventId: string;
    readonly organizationId: string | null;
    readonly fingerprint: EventFingerprint;
    readonly outcome: OriginalOutcome;
  }): void;
  /** Writes the outcomes remembered by this batch. */
  flush(): Promise<void>;
};

/** What is known of an eventId: by whom, its fingerprint, and its outcome (as stored, or as this batch decided it). */
type Seen = { readonly userId: string; readonly fingerprint: string; readonly outcome: OriginalOutcome | string };

/** Loads what is known about the batch's eventIds and returns the batch's ledger. */
export async function openOutcomeLedger(
  trx: Transaction<ServerDb>,
  caps: RowWriter,
  input: { readonly actor: Actor; readonly eventIds: readonly string[]; readonly now: string },
): Promise<OutcomeLedger> {
  const { actor, now } = input;
  const before = new Map<string, Seen>();
  const ids = [...new Set(input.eventIds)];
  for (let start = 0; start < ids.length; start += 1000) {
    const rows = await trx
      .selectFrom('applied_events')
      .select(['event_id', 'user_id', 'fingerprint', 'outcome'])
      .where(caps.textIn('event_id', ids.slice(start, start + 1000)))
      .execute();
    // The outcome stays text until a duplicate needs it: a reused eventId never reads it.
    for (const row of rows)
      before.set(row.event_id, { userId: row.user_id, fingerprint: row.fingerprint, outcome: row.outcome });
  }
  const during = new Map<string, Seen>();
  const pending: Insertable<AppliedEventsTable>[] = [];
  // A replayed batch's outcomes are mostly the same few texts (`applied` at version 1): each is read once.
  const parsed = new Map<string, OriginalOutcome>();
  const original = (outcome: OriginalOutcome | string): OriginalOutcome => {
    if (typeof outcome !== 'string') return outcome;
    let read = parsed.get(outcome);
    if (read === undefined) {
      read = originalOutcomeSchema.parse(JSON.parse(outcome));
      parsed.set(outcome, read);
    }
    return read;
  };

  return {
    check(eventId, fingerprint) {
      const seen = before.get(eventId) ?? during.get(eventId);
      if (!seen) return { kind: 'new' };
      // Another user's eventId is answered like a content mismatch, so nobody
      // learns another user's outcome by guessing its id.
      const sameContent = seen.fingerprint === fingerprint.canonical || seen.fingerprint === fingerprint.asSent;
      if (seen.userId !== actor.userId || !sameContent) {
        return reject('event_id_reused', 'This eventId was already used for a different event.');
      }
      return { kind: 'duplicate', original: original(seen.outcome) };
    },

    seenBefore: (eventId) => before.has(eventId),

    remember({ eventId, organizationId, fingerprint, outcome }) {
      during.set(eventId, { userId: actor.userId, fingerprint: fingerprint.canonical, outcome });
      pending.push({
        event_id: eventId,
        user_id: actor.userId,
        device_id: actor.deviceId,
        organization_id: organizationId,
        fingerprint: fingerprint.canonical,
        outcome: JSON.stringify(outcome),
        created_at: now,
      });
    },

    async flush() {
      await insertRows(trx, caps, 'applied_events', pending.splice(0));
    },
  };
}
