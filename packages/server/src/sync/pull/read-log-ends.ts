/**
 * The last allocated change-log `seq` of each organization (`org_seq`), to
 * tell a cursor that is ahead of the log: after a restore from backup the
 * server no longer has what the client already saw (PROTOCOL §4, 410
 * `cursor_invalid`).
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from '../../db/schema.ts';
import type { CursorPosition } from './cursor.ts';

/** The first position beyond its organization's last `seq` (an organization with no changes yet ends at 0), or undefined. */
export async function findPositionBeyondLog(
  db: Kysely<ServerDb>,
  positions: readonly CursorPosition[],
): Promise<CursorPosition | undefined> {
  const ahead = positions.filter((p) => p.seq > 0);
  if (ahead.length === 0) return undefined;
  const rows = await db
    .selectFrom('org_seq')
    .select(['organization_id', 'last_seq'])
    .where(
      'organization_id',
      'in',
      ahead.map((p) => p.organizationId),
    )
    .execute();
  const lastSeq = new Map(rows.map((r) => [r.organization_id, Number(r.last_seq)]));
  return ahead.find((p) => p.seq > (lastSeq.get(p.organizationId) ?? 0));
}
