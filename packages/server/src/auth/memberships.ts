/**
 * The caller's organizations as the server's database records them (never as
 * a client claims): live `members` rows joined to live `organizations`.
 */
import { ROLES, type OrganizationId, type Role } from '@clinicsync/protocol';
import { sql, type Kysely, type Transaction } from 'kysely';
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
  return rows.flatMap((r) =>
    isRole(r.role) ? [{ id: String(r.id) as OrganizationId, name: String(r.name), role: r.role }] : [],
  );
}

/** Whether a stored role is one the registry knows (an unknown one grants nothing). */
export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/**
 * A person's active memberships in organizations that are not deleted: what
 * the 50-organization cap counts (PROTOCOL §1b). Pending invitations count
 * nothing. Across organizations on purpose: the cap protects the person's
 * own pull cursor.
 */
export async function countActiveMemberships(db: Kysely<ServerDb>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('members')
    .innerJoin('organizations', 'organizations.id', 'members.organization_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('members.user_id', '=', userId)
    .where('members.deleted', '=', 0)
    .where('organizations.deleted', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Serializes the ways a person gains a membership (accepting an invitation, creating an organization) with
 * each other, whatever organizations they are in: a no-op write takes the person's `users` row lock until
 * commit, so a `countActiveMemberships` after it sees every earlier way in committed (on PostgreSQL; SQLite
 * serializes writers anyway). Taken before any organization's lock (`lockOrganization`), everywhere: a push
 * that creates organizations also writes to existing ones, so the other order could let a push and an accept
 * each hold the lock the other waits for.
 */
export async function lockMembershipsOf(trx: Transaction<ServerDb>, userId: string): Promise<void> {
  await trx.updateTable('users').set({ id: sql`id` }).where('id', '=', userId).execute();
}

/**
 * The user's live membership row of an organization, whatever the state of the organization itself (callers
 * that need a live organization check it, or ask `roleIn`). At most one exists: adding a second is refused
 * under the organization's lock.
 */
export async function findLiveMembership(
  db: Kysely<ServerDb>,
  organizationId: string,
  userId: string,
): Promise<{ readonly id: string; readonly role: string | null } | undefined> {
  return db
    .selectFrom('members')
    .select(['id', 'role'])
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .where('deleted', '=', 0)
    .executeTakeFirst();
}

/** The user's role in a live organization they are a live member of, or undefined (FHIR and other read-only routes). */
export async function roleIn(db: Kysely<ServerDb>, organizationId: string, userId: string): Promise<Role | undefined> {
  const row = await db
    .selectFrom('members')
    .innerJoin('organizations', 'organizations.id', 'members.organization_id')
    .select('members.role')
    .where('members.organization_id', '=', organizationId)
    .where('organizations.deleted', '=', 0)
    .where('members.user_id', '=', userId)
    .where('members.deleted', '=', 0)
    .limit(1)
    .executeTakeFirst();
  return row && isRole(row.role) ? row.role : undefined;
}
