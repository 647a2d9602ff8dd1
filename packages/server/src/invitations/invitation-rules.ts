/**
 * The shared facts of an invitation (PROTOCOL §1b): what counts as pending
 * (status `pending` and not yet expired) and the tunables, so every query
 * applies one definition.
 */
import { DEFAULT_INVITATION_TTL_DAYS, MAX_PENDING_INVITATIONS_PER_ORG } from '@clinicsync/protocol';
import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import type { ServerDb } from '../db/schema.ts';

export type InvitationRules = {
  /** Days an invitation waits for its answer. */
  readonly ttlDays: number;
  /** Pending invitations an organization may hold at once. */
  readonly maxPendingPerOrg: number;
};

export const DEFAULT_INVITATION_RULES: InvitationRules = {
  ttlDays: DEFAULT_INVITATION_TTL_DAYS,
  maxPendingPerOrg: MAX_PENDING_INVITATIONS_PER_ORG,
};

/** The one definition of pending: waiting for an answer (status `pending`) and not yet expired at `now`. */
function pendingAt(now: Date) {
  const at = now.toISOString();
  return (eb: ExpressionBuilder<ServerDb, 'invitations'>) =>
    eb.and([eb('invitations.status', '=', 'pending'), eb('invitations.expires_at', '>', at)]);
}

/** Narrows a query over `invitations` to the ones still waiting for an answer at `now`. */
export function wherePending<O>(
  query: SelectQueryBuilder<ServerDb, 'invitations' | any, O>,
  now: Date,
): SelectQueryBuilder<ServerDb, 'invitations' | any, O> {
  return query.where(pendingAt(now));
}

/**
 * Records an answer to an invitation (accept, decline, withdraw) only while it is still pending, by one
 * conditional update: of two answers that meet, the later one finds nothing to change (on PostgreSQL it
 * waits for the earlier one's row lock and checks again). `within` narrows it to the invitee's email or
 * the organization asking. False when no pending invitation matched.
 */
export async function answerIfPending(
  db: Kysely<ServerDb>,
  answer: {
    readonly invitationId: string;
    readonly status: 'accepted' | 'declined' | 'withdrawn';
    readonly by: string;
    readonly now: Date;
    readonly within: { readonly column: 'email' | 'organization_id'; readonly value: string };
  },
): Promise<boolean> {
  const updated = await db
    .updateTable('invitations')
    .set({ status: answer.status, responded_at: answer.now.toISOString(), responded_by: answer.by })
    .where('id', '=', answer.invitationId)
    .where(answer.within.column, '=', answer.within.value)
    .where(pendingAt(answer.now))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
