/**
 * The organizations users belong to right now, from the server's own
 * `members` table (PROTOCOL §4, docs/architecture.md, principle 2): never from the cursor or
 * the request.
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from '../../db/schema.ts';
import type { Membership } from './merge-positions.ts';

/**
 * Live (`deleted = 0`) membership rows of each of `userIds`, sorted by organization id; one query for
 * all of them (the woken pulls of many devices share it). A user without any has an empty list.
 */
export async function readMemberships(
  db: Kysely<ServerDb>,
  userIds: readonly string[],
): Promise<Map<string, Membership[]>> {
  const out = new Map<string, Membership[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('members')
    .select(['user_id', 'organization_id', 'id'])
    .where('user_id', 'in', [...out.keys()])
    .where('deleted', '=', 0)
    .where('organization_id', 'is not', null)
    .orderBy('organization_id')
    .orderBy('id')
    .execute();
  for (const r of rows) out.get(r.user_id!)?.push({ organizationId: r.organization_id!, membershipId: r.id });
  return out;
}
