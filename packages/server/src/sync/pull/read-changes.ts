/**
 * Reads one page of the change log for a set of per-organization positions
 * (PROTOCOL §4). `change_log` keeps one row per record, renumbered with a fresh
 * per-organization `seq` on every change, so `seq > position` yields each
 * changed record once, in its latest state, in commit order. Every query
 * walks the `(organization_id, seq)` primary key: the cost grows with the
 * rows returned, not with the size of the log, and no more than `limit` rows
 * are ever loaded.
 */
import type { Kysely } from 'kysely';
import type { ServerDb } from '../../db/schema.ts';
import type { CursorPosition } from './cursor.ts';

/** One change-log row as stored (`data` still JSON text). */
export type ChangeRow = {
  readonly organizationId: string;
  readonly seq: number;
  readonly table: string;
  readonly recordId: string;
  readonly version: number;
  readonly op: 'UPSERT' | 'DELETE';
  readonly data: string | null;
};

export type ChangePage = {
  /** Organization by organization (in the order of `positions`), each in `seq` order. */
  readonly rows: readonly ChangeRow[];
  /** Whether any organization has rows after the ones in this page. */
  readonly hasMore: boolean;
};

/** Rows after each position, organizations in the given order, at most `limit` in total. */
export async function readChanges(
  db: Kysely<ServerDb>,
  options: { readonly positions: readonly CursorPosition[]; readonly limit: number },
): Promise<ChangePage> {
  const rows: ChangeRow[] = [];
  let remaining = options.limit;
  for (const position of options.positions) {
    // Page full: only ask whether this organization has anything left.
    if (remaining === 0) {
      if (await hasChangesAfter(db, position.organizationId, position.seq)) return { rows, hasMore: true };
      continue;
    }
    const page = await db
      .selectFrom('change_log')
      .select(['organization_id', 'seq', 'table_name', 'record_id', 'version', 'op', 'data'])
      .where('organization_id', '=', position.organizationId)
      .where('seq', '>', position.seq)
      .orderBy('seq')
      .limit(remaining)
      .execute();
    for (const r of page) {
      rows.push({
        organizationId: r.organization_id,
        seq: Number(r.seq),
        table: r.table_name,
        recordId: r.record_id,
        version: Number(r.version),
        op: r.op,
        data: r.data,
      });
    }
    remaining -= page.length;
    if (remaining === 0 && page.length > 0 && (await hasChangesAfter(db, position.organizationId, Number(page.at(-1)!.seq)))) {
      return { rows, hasMore: true };
    }
  }
  return { rows, hasMore: false };
}

async function hasChangesAfter(db: Kysely<ServerDb>, organizationId: string, seq: number): Promise<boolean> {
  const row = await db
    .selectFrom('change_log')
    .select('seq')
    .where('organization_id', '=', organizationId)
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
