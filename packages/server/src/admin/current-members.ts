/** The one definition of "a current member" used by every admin query: a live `members` row of the organization. */
import type { OrganizationId } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';

/** A subquery of the user ids with a live membership of `organizationId` (for `where user_id in (…)`). */
export function currentMemberIds(db: Kysely<ServerDb>, organizationId: OrganizationId) {
  return (
    db
      .selectFrom('members')
      .select('members.user_id')
      .where('members.organization_id', '=', organizationId)
      .where('members.deleted', '=', 0)
      // Registry-derived columns are typed `unknown`; user_id is a uuid text column.
      .$castTo<{ user_id: string }>()
  );
}
