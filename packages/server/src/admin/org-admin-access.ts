/**
 * Who may see an organization's devices and audit trail (PROTOCOL §6): its
 * current admins, as stored in the server's `members` table. The answer for
 * "not an admin" and "no such organization" is the same 403, so the routes
 * never reveal whether an organization exists.
 */
import { ApiError, type OrganizationId } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';

/** True when `userId` holds a live `admin` membership of `organizationId`. */
export async function isOrgAdmin(db: Kysely<ServerDb>, organizationId: OrganizationId, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('members')
    .select('members.id')
    .where('members.organization_id', '=', organizationId)
    .where('members.user_id', '=', userId)
    .where('members.deleted', '=', 0)
    .where('members.role', '=', 'admin')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Throws `403 forbidden` unless `userId` is a current admin of `organizationId`. */
export async function assertOrgAdmin(db: Kysely<ServerDb>, organizationId: OrganizationId, userId: string): Promise<void> {
  if (!(await isOrgAdmin(db, organizationId, userId))) {
    throw new ApiError('forbidden', 'Only an admin of this organization can do this.');
  }
}
