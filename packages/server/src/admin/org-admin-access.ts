/**
 * Who may see an organization's devices and audit trail (PROTOCOL §6): its
 * current admins, as stored in the server's `members` table, of an
 * organization that is not deleted (as `GET /v1/me` lists them). The answer for
 * "not an admin" and "no such organization" is the same 403, so the routes
 * never reveal whether an organization exists.
 */
import { ApiError, type OrganizationId } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import { roleIn } from '../auth/memberships.ts';
import type { ServerDb } from '../db/schema.ts';

/** True when `userId` holds a live `admin` membership of `organizationId` and the organization is live. */
export async function isOrgAdmin(
  db: Kysely<ServerDb>,
  organizationId: OrganizationId,
  userId: string,
): Promise<boolean> {
  return (await roleIn(db, organizationId, userId)) === 'admin';
}

/** Throws `403 forbidden` unless `userId` is a current admin of `organizationId`. */
export async function assertOrgAdmin(
  db: Kysely<ServerDb>,
  organizationId: OrganizationId,
  userId: string,
): Promise<void> {
  if (!(await isOrgAdmin(db, organizationId, userId))) {
    throw new ApiError('forbidden', 'Only an admin of this organization can do this.');
  }
}
