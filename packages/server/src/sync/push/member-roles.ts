/**
 * The pushing user's roles per organization, read from the server's `members`
 * table (PROTOCOL §2 "who may write", §3) once per organization and batch
 * instead of once per event. A batch that changes a membership of an
 * organization forgets that organization's roles, so its next event reads
 * them again, after the batch's own buffered rows are written.
 */
import type { Role } from '@clinicsync/protocol';
import { findLiveMembership, isRole } from '../../auth/memberships.ts';
import type { BatchRows } from './batch-rows.ts';

export type MemberRoles = {
  /** The user's roles in the organization (live memberships only); empty when not a member. */
  of(organizationId: string): Promise<readonly Role[]>;
  /** Drops what is known about an organization whose memberships this batch changed. */
  forget(organizationId: string): void;
};

/** Batch-local roles of `userId`, read through `rows` so the batch's own membership writes are seen. */
export function createMemberRoles(rows: BatchRows, userId: string): MemberRoles {
  const known = new Map<string, readonly Role[]>();
  return {
    async of(organizationId) {
      const cached = known.get(organizationId);
      if (cached) return cached;
      const found = await findLiveMembership(await rows.flushed(), organizationId, userId);
      // A role the registry no longer knows grants nothing.
      const roles: readonly Role[] = found && isRole(found.role) ? [found.role] : [];
      known.set(organizationId, roles);
      return roles;
    },
    forget: (organizationId) => {
      known.delete(organizationId);
    },
  };
}
