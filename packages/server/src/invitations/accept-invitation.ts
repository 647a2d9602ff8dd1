/**
 * The invitee accepts (PROTOCOL §1b `POST /v1/invitations/:id/accept`): the
 * server writes the `members` row itself, in the organization's change log
 * and audit trail with the invitee as its author, so every device of the
 * organization pulls the new member like any other change and the trail
 * says who said yes.
 *
 * One transaction, serialized with the organization's other membership
 * writers (organization lock: last-admin checks, deletion ending
 * memberships) and with the person's other accepts (their user row is
 * locked), so two accepts at once cannot take a person past the
 * 50-organization cap. Beyond the cap the answer is `membership_limit` and
 * the invitation stays pending: the person can leave another organization
 * and accept it then.
 */
import {
  isRole,
  MAX_MEMBERSHIPS_PER_USER,
  tableSpec,
  versionSchema,
  type EventId,
  type OrganizationId,
  type Role,
} from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import { countActiveMemberships, findLiveMembership, lockMembershipsOf } from '../auth/memberships.ts';
import type { Capabilities } from '../db/capabilities.ts';
import type { ServerDb } from '../db/schema.ts';
import type { Ids } from '../deps.ts';
import { createBatchRows } from '../sync/push/batch-rows.ts';
import type { ScopedEvent, StoredRow } from '../sync/push/event-types.ts';
import { lockOrganization } from '../sync/push/lock-organization.ts';
import { createChangeRecorder } from '../sync/push/record-change.ts';
import { runInTransaction } from '../sync/push/run-in-transaction.ts';
import { answerIfPending, wherePending } from './invitation-rules.ts';

export type AcceptOutcome =
  | { readonly kind: 'accepted'; readonly organizationId: OrganizationId; readonly role: Role }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'membership_limit' };

export type AcceptInput = {
  readonly invitationId: string;
  /** The caller, from the auth token; the invitation must name their account's email. */
  readonly userId: string;
  /** The caller's device (the session's), for the audit trail; null when unknown. */
  readonly deviceId: string | null;
  readonly now: Date;
};

/** Accepts a pending invitation addressed to the caller; `not_found` for anything else (so ids of others' invitations reveal nothing). */
export async function acceptInvitation(
  deps: { readonly db: Kysely<ServerDb>; readonly caps: Capabilities; readonly ids: Ids },
  input: AcceptInput,
): Promise<AcceptOutcome> {
  const { userId, now } = input;
  return runInTransaction(deps.db, deps.caps, async (trx): Promise<AcceptOutcome> => {
    const user = await trx.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
    if (!user) return { kind: 'not_found' };
    const invitation = await wherePending(trx.selectFrom('invitations').selectAll(), now)
      .where('id', '=', input.invitationId)
      .where('email', '=', user.email)
      .executeTakeFirst();
    if (!invitation || !isRole(invitation.role)) return { kind: 'not_found' };
    const organizationId = invitation.organization_id as OrganizationId;

    // The person's ways in run one at a time from here, so the cap count below holds. The person's lock comes
    // first, as in a push that creates organizations, so the two never wait for each other in a circle.
    await lockMembershipsOf(trx, userId);
    await lockOrganization(trx, organizationId);
    const organization = await trx
      .selectFrom('organizations')
      .select('deleted')
      .where('id', '=', organizationId)
      .executeTakeFirst();
    if (!organization || organization.deleted) return { kind: 'not_found' };

    // The read above ran before the locks: a decline, a withdrawal or another accept of this invitation may
    // have ended it since. Only the answer that still finds it pending may use it; the others are not_found.
    const claim = () =>
      answerIfPending(trx, {
        invitationId: invitation.id,
        status: 'accepted',
        by: userId,
        now,
        within: { column: 'email', value: user.email },
      });
    const current = await findLiveMembership(trx, organizationId, userId);
    if (current && isRole(current.role)) {
      // Already a member (invited twice, or re-invited): nothing changes, the invitation is used up.
      if (!(await claim())) return { kind: 'not_found' };
      return { kind: 'accepted', organizationId, role: current.role };
    }
    if ((await countActiveMemberships(trx, userId)) >= MAX_MEMBERSHIPS_PER_USER) return { kind: 'membership_limit' };
    // Claimed before anything is written, so a lost race leaves no members row behind.
    if (!(await claim())) return { kind: 'not_found' };

    // The team may have been deleted since the invitation was sent: the person joins without one then.
    const team = invitation.team_id
      ? await trx
          .selectFrom('teams')
          .select('id')
          .where('id', '=', invitation.team_id)
          .where('organization_id', '=', organizationId)
          .where('deleted', '=', 0)
          .executeTakeFirst()
      : undefined;
    const spec = tableSpec('members');
    const values: Record<string, unknown> = Object.fromEntries(
      Object.keys(spec.columns).map((column) => [column, null]),
    );
    Object.assign(values, {
      organization_id: organizationId,
      user_id: userId,
      role: invitation.role,
      team_id: team?.id ?? null,
    });
    const nowIso = now.toISOString();
    const after: StoredRow = {
      id: deps.ids.newId(),
      version: versionSchema.parse(1),
      updatedAt: nowIso,
      updatedBy: userId,
      deleted: false,
      fieldVersions: {},
      values,
    };
    const rows = createBatchRows(trx, deps.caps);
    rows.insert('members', after);
    await rows.flushed();
    // The audit entry names the invitation as the event that caused the change.
    const event: ScopedEvent = {
      eventId: invitation.id as EventId,
      table: 'members',
      spec,
      op: 'INSERT',
      recordId: after.id,
      baseVersion: 0,
      data: values,
      organizationId,
    };
    const changes = createChangeRecorder(trx, deps.caps);
    changes.record({ event, before: undefined, after, actor: { userId, deviceId: input.deviceId ?? '' }, now: nowIso });
    await changes.flush();
    return { kind: 'accepted', organizationId, role: invitation.role };
  });
}
