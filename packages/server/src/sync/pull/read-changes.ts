/**
 * Reads one page of the change log for a set of per-organization positions
 * (PROTOCOL §4). `change_log` keeps one row per record, renumbered with a fresh
 * per-organization `seq` on every change, so `seq > position` yields each
 * changed record once, in its latest state, in commit order. Every query
 * walks the `(organization_id, seq)` primary key: the cost grows with the
 * rows returned, not with the size of the log, and no more than `limit` rows
 * (read in chunks) and about `MAX_PAGE_BYTES` of data are ever loaded.
 *
 * The log names records, it does not copy them: each chunk's records are read
 * from their tables by id, inside the pull's snapshot, so what is sent is the
 * state the log row points at (the same commit wrote both).
 */
import { assert, isTableName, tableSpec, type TableName, type TableSpec } from '@clinicsync/protocol';
import { sql, type Kysely } from 'kysely';
import type { ChangeLogTable, ServerDb } from '../../db/schema.ts';
// The push side owns how a stored value reads back (flags, defaults); pull reads the same rows.
import { storedValue } from '../push/stored-row.ts';
import type { CursorPosition } from './cursor.ts';

/** One change of the log with the record's current data (null for a DELETE). */
export type ChangeRow = {
  readonly organizationId: string;
  readonly seq: number;
  readonly table: string;
  readonly recordId: string;
  readonly version: number;
  readonly op: 'UPSERT' | 'DELETE';
  readonly data: Readonly<Record<string, unknown>> | null;
};

type LogRow = ChangeLogTable;

export type ChangePage = {
  /** Organization by organization (in the order of `positions`), each in `seq` order. */
  readonly rows: readonly ChangeRow[];
  /** Whether any organization has rows after the ones in this page. */
  readonly hasMore: boolean;
  /** About how many bytes the rows' data takes (`approximateBytes`), counted while reading. */
  readonly bytes: number;
};

/**
 * A page also ends once its rows' data passes this many bytes (`hasMore` stays
 * true), so a page of 5,000 long notes cannot make one response tens of
 * megabytes: memory per pull stays bounded whatever the rows hold.
 */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;
/** Rows read per query, so no query loads more than this many rows at once. */
const CHUNK = 500;

/** Rows after each position, organizations in the given order, at most `limit` rows and about `maxBytes` of data in total. */
export async function readChanges(
  db: Kysely<ServerDb>,
  options: { readonly positions: readonly CursorPosition[]; readonly limit: number; readonly maxBytes?: number },
): Promise<ChangePage> {
  const maxBytes = options.maxBytes ?? MAX_PAGE_BYTES;
  const rows: ChangeRow[] = [];
  let bytes = 0;
  const full = () => rows.length >= options.limit || bytes >= maxBytes;
  for (const position of options.positions) {
    let after = position.seq;
    // Page full: only ask whether this organization has anything left.
    if (full()) {
      if (await hasChangesAfter(db, position.organizationId, after)) return { rows, hasMore: true, bytes };
      continue;
    }
    for (;;) {
      const chunk = await db
        .selectFrom('change_log')
        .select(['organization_id', 'seq', 'table_name', 'record_id', 'version', 'op'])
        .where('organization_id', '=', position.organizationId)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(Math.min(CHUNK, options.limit - rows.length))
        .execute();
      const records = await readRecords(db, position.organizationId, after, chunk);
      for (const [index, r] of chunk.entries()) {
        const data = r.op === 'DELETE' ? null : records.get(r.table_name)?.get(r.record_id);
        assert(data !== undefined, 'a change-log row names a record that does not exist');
        rows.push({
          organizationId: r.organization_id,
          seq: Number(r.seq),
          table: r.table_name,
          recordId: r.record_id,
          version: Number(r.version),
          op: r.op,
          data,
        });
        bytes += data ? approximateBytes(data) : 0;
        after = Number(r.seq);
        if (full()) {
          if (index < chunk.length - 1 || (await hasChangesAfter(db, position.organizationId, after)))
            return { rows, hasMore: true, bytes };
          break;
        }
      }
      if (full() || chunk.length === 0 || chunk.length < CHUNK) break;
    }
  }
  return { rows, hasMore: false, bytes };
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

/**
 * The current data of each UPSERT's record in a chunk of one organization's
 * log (seqs after `after`, up to the chunk's last), by table and id. Each
 * table is read joined to that same range of the log's primary key rather
 * than by a list of ids: the database walks the range it just read and looks
 * each record up by its key, with no 500-parameter statement to bind, and
 * only the columns a change carries are read (not the merge's field versions).
 */
async function readRecords(
  db: Kysely<ServerDb>,
  organizationId: string,
  after: number,
  chunk: readonly LogRow[],
): Promise<Map<string, Map<string, Record<string, unknown>>>> {
  const tables = new Set<TableName>();
  for (const r of chunk) {
    if (r.op === 'DELETE') continue;
    assert(isTableName(r.table_name), 'change_log holds an unknown table');
    tables.add(r.table_name);
  }
  const last = chunk.length > 0 ? Number(chunk[chunk.length - 1]!.seq) : after;
  const out = new Map<string, Map<string, Record<string, unknown>>>();
  for (const table of tables) {
    const spec = tableSpec(table);
    const columns = ['id', ...Object.keys(spec.columns), 'updated_at', 'updated_by'];
    // Identifiers come from the registry only; every value is a bound parameter.
    const read = await sql<Record<string, unknown>>`
      select ${sql.join(columns.map((c) => sql.ref(`r.${c}`)))}
      from change_log as c join ${sql.table(table)} as r on r.id = c.record_id
      where c.organization_id = ${organizationId} and c.seq > ${after} and c.seq <= ${last}
        and c.table_name = ${table} and c.op = 'UPSERT'`.execute(db);
    const byId = new Map<string, Record<string, unknown>>();
    for (const row of read.rows) byId.set(String(row.id), changeData(spec, row));
    out.set(table, byId);
  }
  return out;
}

/** The change's `data` from a record's columns: registry columns (flags as booleans) plus who changed the row when. */
function changeData(spec: TableSpec, row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const name in spec.columns) data[name] = storedValue(spec.columns[name]!, row[name]);
  data.updated_at = String(row.updated_at);
  data.updated_by = String(row.updated_by);
  return data;
}

/** About how many bytes a row's data takes on the wire, without serializing it. */
export function approximateBytes(data: Readonly<Record<string, unknown>>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(data))
    bytes += key.length + 4 + (typeof value === 'string' ? value.length + 2 : 8);
  return bytes;
}
