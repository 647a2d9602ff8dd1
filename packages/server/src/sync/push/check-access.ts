/**
 * A step of the push pipeline (run-push.ts owns the order): may the actor write this event's table in its
 * organization? Membership and role come from the server's `members` table
 * (a live row for the actor in the scope organization), never from the
 * payload (PROTOCOL §2 "who may write", §3).
 *
 * What a refusal reveals: a record or parent that exists in an organization
 * the actor does not belong to is `forbidden`; one that does not exist is
 * `not_found` (decided earlier, by resolveScope). So an attacker can learn
 * that a random UUID exists somewhere, never what it holds or whose it is;
 * ids are random v4 UUIDs, so that is harmless (docs/decisions/2026-11-26-push.md).
 */
import type { Bootstrap } from './bootstrap.ts';
import { reject, type Rejection, type ScopedEvent, type StoredRow } from './event-types.ts';
import type { MemberRoles } from './member-roles.ts';

export type Access = { readonly kind: 'allowed' } | Rejection;

/**
 * Allows the event when the actor (whose roles `roles` holds) is a member of its organization with one of
 * the table's write roles (or the organization is being bootstrapped by this
 * request, or a member deletes their own membership to leave); otherwise `forbidden`, or `already_exists` for an INSERT whose id
 * is taken in an organization the actor does not belong to.
 */
export async function checkAccess(
  roles: MemberRoles,
  input: {
    readonly event: ScopedEvent;
    readonly stored: StoredRow | undefined;
    readonly bootstrap: Bootstrap;
    readonly actorId: string;
  },
): Promise<Access> {
  const { event, stored, bootstrap } = input;
  if (bootstrap.skipsMembership(event, stored)) return { kind: 'allowed' };

  const held = await roles.of(event.organizationId);
  if (held.length === 0) {
    if (event.op === 'INSERT' && stored)
      return reject('already_exists', `A ${event.spec.label} with this id already exists.`);
    return reject('forbidden', 'You are not a member of the organization this record belongs to.');
  }
  // Leaving (PROTOCOL §1b): any member may end their own membership; the last-admin rule still applies.
  if (event.table === 'members' && event.op === 'DELETE' && stored?.values.user_id === input.actorId)
    return { kind: 'allowed' };
  if (!held.some((role) => event.spec.writeRoles.includes(role))) {
    return reject('forbidden', `Your role may not change ${event.spec.label} records.`);
  }
  return { kind: 'allowed' };
}
