/**
 * The last allocated change-log `seq` of each organization (`org_seq`), to
 * tell a cursor that is ahead of the log: after a restore from backup the
 * server no longer has what the client already saw (PROTOCOL §4, 410
 * `cursor_invalid`).
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from '../../db/schema.ts';
import type { CursorPosition } from './cursor.ts';

/** Where each organization's log ends, by organization id (an organization with no changes yet is absent: it ends at 0). */
export type LogEnds = ReadonlyMap<string, number>;

/** The log ends of the organizations of `positions` that are past 0 (one query for all, however many devices they come from). */
export async function readLogEnds(db: Kysely<ServerDb>, positions: readonly CursorPosition[]): Promise<LogEnds> {
  const ahead = [...new Set(positions.filter((p) => p.seq > 0).map((p) => p.organizationId))];
  if (ahead.length === 0) return new Map();
  const rows = await db
    .selectFrom('org_seq')
    .select(['organization_id', 'last_seq'])
    .where('organization_id', 'in', ahead)
    .execute();
  return new Map(rows.map((r) => [r.organization_id, Number(r.last_seq)]));
}

/** The first position beyond its organization's last `seq`, or undefined. */
export function positionBeyondLog(positions: readonly CursorPosition[], ends: LogEnds): CursorPosition | undefined {
  return positions.find((p) => p.seq > 0 && p.seq > (ends.get(p.organizationId) ?? 0));
}

/** Reads the ends and finds the first position beyond them. */
export async function findPositionBeyondLog(
  db: Kysely<ServerDb>,
  positions: readonly CursorPosition[],
): Promise<CursorPosition | undefined> {
  return positionBeyondLog(positions, await readLogEnds(db, positions));
}
