/**
 * Idempotency (PROTOCOL §3): every processed event is remembered with its
 * content fingerprint and outcome, so a re-sent event (its response was lost)
 * is answered with the original outcome and changes nothing. Earlier events
 * of the same batch are found too: they were remembered in the same
 * transaction.
 */
import { originalOutcomeSchema, type OriginalOutcome } from '@clinicsync/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { ServerDb } from '../../db/schema.ts';
import { reject, type Actor, type Rejection } from './event-types.ts';

export type DuplicateCheck = { readonly kind: 'new' } | { readonly kind: 'duplicate'; readonly original: OriginalOutcome } | Rejection;

/**
 * Looks the eventId up: `new`, `duplicate` (same user, same content), or
 * `event_id_reused` when another user sent it or its content differs.
 */
export async function findDuplicate(
  db: Kysely<ServerDb>,
  input: { readonly eventId: string; readonly userId: string; readonly fingerprint: string },
): Promise<DuplicateCheck> {
  const seen = await db
    .selectFrom('applied_events')
    .select(['user_id', 'fingerprint', 'outcome'])
    .where('event_id', '=', input.eventId)
    .executeTakeFirst();
  if (!seen) return { kind: 'new' };
  // Another user's eventId is answered like a content mismatch, so nobody
  // learns another user's outcome by guessing its id.
  if (seen.user_id !== input.userId || seen.fingerprint !== input.fingerprint) {
    return reject('event_id_reused', 'This eventId was already used for a different event.');
  }
  return { kind: 'duplicate', original: originalOutcomeSchema.parse(JSON.parse(seen.outcome)) };
}

/** Remembers an event's first outcome, inside the transaction that produced it. */
export async function rememberOutcome(
  trx: Transaction<ServerDb>,
  input: {
    readonly eventId: string;
    readonly actor: Actor;
    readonly organizationId: string | null;
    readonly fingerprint: string;
    readonly outcome: OriginalOutcome;
    readonly now: string;
  },
): Promise<void> {
  await trx
    .insertInto('applied_events')
    .values({
      event_id: input.eventId,
      user_id: input.actor.userId,
      device_id: input.actor.deviceId,
      organization_id: input.organizationId,
      fingerprint: input.fingerprint,
      outcome: JSON.stringify(input.outcome),
      created_at: input.now,
    })
    .execute();
}
