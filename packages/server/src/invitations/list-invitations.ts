/**
 * The two views of pending invitations (PROTOCOL §1b): an organization's
 * admins see whom they invited (emails, never whether an account exists);
 * an invitee sees what waits for their account's email, in organizations
 * that still exist. Expired ones are left out of both.
 */
import {
  isRole,
  type InvitationId,
  type MyInvitation,
  type OrganizationId,
  type OrgInvitation,
  type UserId,
} from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';
import { wherePending } from './invitation-rules.ts';

/** How many invitations one person is shown: strangers can invite anyone, so the list is bounded (newest first). */
export const MAX_LISTED_INVITATIONS = 100;

/** The organization's pending invitations, newest first. */
export async function listOrgInvitations(
  db: Kysely<ServerDb>,
  organizationId: OrganizationId,
  now: Date,
): Promise<OrgInvitation[]> {
  const rows = await wherePending(db.selectFrom('invitations').selectAll(), now)
    .where('organization_id', '=', organizationId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.flatMap((r) =>
    isRole(r.role)
      ? [
          {
            invitationId: r.id as InvitationId,
            email: r.email,
            role: r.role,
            teamId: r.team_id,
            invitedBy: r.invited_by as UserId,
            createdAt: r.created_at,
            expiresAt: r.expires_at,
          },
        ]
      : [],
  );
}

/** The pending invitations addressed to `email` in live organizations, newest first, at most MAX_LISTED_INVITATIONS. */
export async function listMyInvitations(db: Kysely<ServerDb>, email: string, now: Date): Promise<MyInvitation[]> {
  const rows = await wherePending(
    db
      .selectFrom('invitations')
      .innerJoin('organizations', 'organizations.id', 'invitations.organization_id')
      .leftJoin('users as inviter', 'inviter.id', 'invitations.invited_by')
      .select([
        'invitations.id as id',
        'invitations.organization_id as organizationId',
        'organizations.name as organizationName',
        'invitations.role as role',
        'inviter.name as invitedByName',
        'invitations.created_at as createdAt',
        'invitations.expires_at as expiresAt',
      ]),
    now,
  )
    .where('invitations.email', '=', email)
    .where('organizations.deleted', '=', 0)
    .orderBy('invitations.created_at', 'desc')
    .orderBy('invitations.id')
    .limit(MAX_LISTED_INVITATIONS)
    .execute();
  return rows.flatMap((r) =>
    isRole(r.role)
      ? [
          {
            invitationId: r.id as InvitationId,
            organizationId: r.organizationId as OrganizationId,
            organizationName: String(r.organizationName ?? ''),
            role: r.role,
            invitedByName: r.invitedByName ?? 'An administrator',
            createdAt: r.createdAt,
            expiresAt: r.expiresAt,
          },
        ]
      : [],
  );
}
