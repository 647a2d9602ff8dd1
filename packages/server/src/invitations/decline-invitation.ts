/**
 * Ending an invitation without a membership (PROTOCOL §1b): the invitee
 * declines it, or an admin of its organization withdraws it. Either way it
 * stops being pending; the row stays, so who answered and when is kept.
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';
import { answerIfPending } from './invitation-rules.ts';

/** The invitee declines; false when no pending invitation with this id is addressed to `userId`'s email. */
export async function declineInvitation(
  db: Kysely<ServerDb>,
  input: { readonly invitationId: string; readonly userId: string; readonly now: Date },
): Promise<boolean> {
  const user = await db.selectFrom('users').select('email').where('id', '=', input.userId).executeTakeFirst();
  if (!user) return false;
  return answerIfPending(db, {
    invitationId: input.invitationId,
    status: 'declined',
    by: input.userId,
    now: input.now,
    within: { column: 'email', value: user.email },
  });
}

/** An admin withdraws; false when the organization has no pending invitation with this id. */
export async function withdrawInvitation(
  db: Kysely<ServerDb>,
  input: {
    readonly organizationId: string;
    readonly invitationId: string;
    readonly adminId: string;
    readonly now: Date;
  },
): Promise<boolean> {
  return answerIfPending(db, {
    invitationId: input.invitationId,
    status: 'withdrawn',
    by: input.adminId,
    now: input.now,
    within: { column: 'organization_id', value: input.organizationId },
  });
}
