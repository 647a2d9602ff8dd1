/**
 * The organizations a user belongs to right now, from the server's own
 * `members` table (PROTOCOL §4, docs/architecture.md, principle 2): never from the cursor or
 * the request.
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from '../../db/schema.ts';
import type { Membership } from './merge-positions.ts';

/** Live (`deleted = 0`) membership rows of `userId`, sorted by organization id. */
export async function readMemberships(db: Kysely<ServerDb>, userId: string): Promise<Membership[]> {
  const rows = await db
    .selectFrom('members')
    .select(['organization_id', 'id'])
    .where('user_id', '=', userId)
    .where('deleted', '=', 0)
    .where('organization_id', 'is not', null)
    .orderBy('organization_id')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ organizationId: r.organization_id!, membershipId: r.id }));
}
