/**
 * The shared facts of an invitation (PROTOCOL §1b): what counts as pending
 * (status `pending` and not yet expired) and the tunables, so every query
 * applies one definition.
 */
import { DEFAULT_INVITATION_TTL_DAYS, MAX_PENDING_INVITATIONS_PER_ORG } from '@clinicsync/protocol';
import type { SelectQueryBuilder } from 'kysely';
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

/** Narrows a query over `invitations` to the ones still waiting for an answer at `now`. */
export function wherePending<O>(
  query: SelectQueryBuilder<ServerDb, 'invitations' | any, O>,
  now: Date,
): SelectQueryBuilder<ServerDb, 'invitations' | any, O> {
  return query.where('invitations.status', '=', 'pending').where('invitations.expires_at', '>', now.toISOString());
}
