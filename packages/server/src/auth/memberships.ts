/**
 * The caller's organizations as the server's database records them (never as
 * a client claims): live `members` rows joined to live `organizations`.
 */
import { ROLES, type OrganizationId, type Role } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';

export type Membership = { readonly id: OrganizationId; readonly name: string; readonly role: Role };

/** Every organization the user is a (not deleted) member of, with their role, ordered by name. */
export async function listMemberships(db: Kysely<ServerDb>, userId: string): Promise<Membership[]> {
  const rows = await db
    .selectFrom('members')
    .innerJoin('organizations', 'organizations.id', 'members.organization_id')
    .select(['organizations.id as id', 'organizations.name as name', 'members.role as role'])
    .where('members.user_id', '=', userId)
    .where('members.deleted', '=', 0)
    .where('organizations.deleted', '=', 0)
    .orderBy('organizations.name')
    .orderBy('organizations.id')
    .execute();
  // A role the registry no longer knows grants nothing, so it is left out rather than guessed.
  return rows.flatMap((r) => (isRole(r.role) ? [{ id: String(r.id) as OrganizationId, name: String(r.name), role: r.role }] : []));
}

/** Whether the user is admin of at least one live organization (PROTOCOL §1: who may look users up). */
export async function isAdminAnywhere(db: Kysely<ServerDb>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('members')
    .innerJoin('organizations', 'organizations.id', 'members.organization_id')
    .select('members.id')
    .where('members.user_id', '=', userId)
    .where('members.role', '=', 'admin')
    .where('members.deleted', '=', 0)
    .where('organizations.deleted', '=', 0)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}
