/**
 * Ending an invitation without a membership (PROTOCOL §1b): the invitee
 * declines it, or an admin of its organization withdraws it. Either way it
 * stops being pending; the row stays, so who answered and when is kept.
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';

/** The invitee declines; false when no pending invitation with this id is addressed to `userId`'s email. */
export async function declineInvitation(
  db: Kysely<ServerDb>,
  input: { readonly invitationId: string; readonly userId: string; readonly now: Date },
): Promise<boolean> {
  const user = await db.selectFrom('users').select('email').where('id', '=', input.userId).executeTakeFirst();
  if (!user) return false;
  const updated = await db
    .updateTable('invitations')
    .set({ status: 'declined', responded_at: input.now.toISOString(), responded_by: input.userId })
    .where('id', '=', input.invitationId)
    .where('email', '=', user.email)
    .where('status', '=', 'pending')
    .where('expires_at', '>', input.now.toISOString())
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
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
  const updated = await db
    .updateTable('invitations')
    .set({ status: 'withdrawn', responded_at: input.now.toISOString(), responded_by: input.adminId })
    .where('id', '=', input.invitationId)
    .where('organization_id', '=', input.organizationId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', input.now.toISOString())
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}
