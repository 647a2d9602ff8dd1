/**
 * An invitation speaks for the admin who sent it (PROTOCOL §1b): when that
 * person stops being an admin of the organization — removed by another
 * admin, leaving, or demoted — the invitations they left pending there end
 * too (`withdrawn`, answered by whoever made the change), in the same
 * transaction. Otherwise an admin about to be removed could invite a second
 * account of their own, as admin, and come back through it after they left,
 * never showing in the members list until then. The remaining admins invite
 * again whoever should still join. docs/protocol-clarifications.md
 * "Invitations end with their sender's admin role".
 *
 * Serialized with accepts: a change that takes an admin role away holds the
 * organization's lock (check-integrity.ts, last-admin rule), as an accept
 * does, so an accept either came first (a member like any other, shown in
 * the members list) or finds the invitation withdrawn.
 */
import type { BatchRows } from './batch-rows.ts';
import type { StoredRow } from './event-types.ts';

/** Withdraws the pending invitations of the member whose row went from `before` to `after`, when that change ended their admin role. */
export async function withdrawInvitationsOfFormerAdmin(
  rows: BatchRows,
  input: {
    readonly organizationId: string;
    readonly before: StoredRow | undefined;
    readonly after: StoredRow;
    readonly actorId: string;
    readonly now: string;
  },
): Promise<void> {
  const { before, after } = input;
  if (!before || before.deleted || before.values.role !== 'admin') return;
  if (!after.deleted && after.values.role === 'admin') return;
  const inviter = before.values.user_id;
  if (typeof inviter !== 'string') return;
  const trx = await rows.flushed();
  await trx
    .updateTable('invitations')
    .set({ status: 'withdrawn', responded_at: input.now, responded_by: input.actorId })
    .where('organization_id', '=', input.organizationId)
    .where('invited_by', '=', inviter)
    .where('status', '=', 'pending')
    .execute();
}
