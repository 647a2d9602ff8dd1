/**
 * An admin invites an email to their organization (PROTOCOL §1b
 * `POST /v1/orgs/:orgId/invitations`). The answer is the same whether or not
 * an account has that email, so inviting cannot be used to find accounts.
 * Inviting the same email again while an invitation waits updates it (role,
 * team, a fresh expiry) instead of adding a second one, so the 200 pending
 * invitations an organization may hold are 200 people.
 */
import type { CreateInvitationRequest, InvitationId, OrganizationId } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';
import type { Ids } from '../deps.ts';
import { runInTransaction } from '../sync/push/run-in-transaction.ts';
import { lockOrganization } from '../sync/push/lock-organization.ts';
import type { Capabilities } from '../db/capabilities.ts';
import { wherePending, type InvitationRules } from './invitation-rules.ts';
import { roleIn } from '../auth/memberships.ts';

export type CreateInvitationOutcome =
  | { readonly kind: 'invited'; readonly invitationId: InvitationId }
  | { readonly kind: 'unknown_team' }
  /** The inviter stopped being an admin after the route checked (a removal committed meanwhile). */
  | { readonly kind: 'not_admin' }
  | { readonly kind: 'too_many_pending'; readonly retryAfterSeconds: number };

export type CreateInvitationInput = {
  readonly organizationId: OrganizationId;
  readonly invitedBy: string;
  readonly request: CreateInvitationRequest;
  readonly now: Date;
};
/** Creates or refreshes the pending invitation of `request.email`, while `invitedBy` is an admin of the organization (checked under its lock). */
/** Creates or refreshes the pending invitation of `request.email`; the caller has checked that `invitedBy` administers the organization. */
export async function createInvitation(
  deps: {
    readonly db: Kysely<ServerDb>;
    readonly caps: Capabilities;
    readonly ids: Ids;
    readonly rules: InvitationRules;
  },
  input: CreateInvitationInput,
): Promise<CreateInvitationOutcome> {
  const { organizationId, request, now } = input;
  const teamId = request.teamId ?? null;
  const expiresAt = new Date(now.getTime() + deps.rules.ttlDays * 24 * 60 * 60 * 1000).toISOString();
  return runInTransaction(deps.db, deps.caps, async (trx) => {
    if (teamId !== null) {
      const team = await trx
        .selectFrom('teams')
        .select('id')
        .where('id', '=', teamId)
        .where('organization_id', '=', organizationId)
        .where('deleted', '=', 0)
        .executeTakeFirst();
      if (!team) return { kind: 'unknown_team' } as const;
    }
    // Serializes invitations of one organization, so two at once cannot both pass the cap, and with the push that
    // removes or demotes an admin and withdraws their invitations: checked again under the lock, an admin removed
    // meanwhile cannot leave a new invitation behind (docs/protocol-clarifications.md).
    await lockOrganization(trx, organizationId);
    if ((await roleIn(trx, organizationId, input.invitedBy)) !== 'admin') return { kind: 'not_admin' } as const;
    const existing = await wherePending(trx.selectFrom('invitations').select('id'), now)
      .where('organization_id', '=', organizationId)
      .where('email', '=', request.email)
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable('invitations')
        .set({
          role: request.role,
          team_id: teamId,
          invited_by: input.invitedBy,
          created_at: now.toISOString(),
          expires_at: expiresAt,
        })
        .where('id', '=', existing.id)
        .execute();
      return { kind: 'invited', invitationId: existing.id as InvitationId } as const;
    }
    const pending = await wherePending(
      trx
        .selectFrom('invitations')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('expires_at').as('first')]),
      now,
    )
      .where('organization_id', '=', organizationId)
      .executeTakeFirstOrThrow();
    if (Number(pending.n) >= deps.rules.maxPendingPerOrg) {
      // The earliest moment a slot frees up by itself; withdrawing one frees it at once.
      const first = pending.first ? Date.parse(String(pending.first)) : now.getTime() + 3600_000;
      return {
        kind: 'too_many_pending',
        retryAfterSeconds: Math.max(1, Math.ceil((first - now.getTime()) / 1000)),
      } as const;
    }
    const invitationId = deps.ids.newId() as InvitationId;
    await trx
      .insertInto('invitations')
      .values({
        id: invitationId,
        organization_id: organizationId,
        email: request.email,
        role: request.role,
        team_id: teamId,
        invited_by: input.invitedBy,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        status: 'pending',
        responded_at: null,
        responded_by: null,
      })
      .execute();
    return { kind: 'invited', invitationId } as const;
  });
}
