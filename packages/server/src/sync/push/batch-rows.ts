/**
 * The synced rows one push batch reads and writes, inside its transaction.
 *
 * Reads: the stored rows of the batch's records and of the parents its
 * events reference are loaded up front, one query per table, and every read
 * after that is served from this batch-local cache. The batch's own writes
 * go into the cache as they are decided, so a later event always sees the
 * state the earlier events left: the cache never holds a stale copy of
 * something this batch wrote. Rows written by other connections meanwhile
 * (PostgreSQL) are caught where they matter, by the conditional writes below.
 *
 * Writes: new rows are buffered and inserted together (one statement per
 * table and chunk) when the batch ends, or earlier, before any statement
 * that must see them (`flushed()`). A plain INSERT, not "on conflict do
 * nothing": if another connection inserted the same id after this batch read
 * it as missing, the unique violation rolls the whole batch back and
 * `runInTransaction` runs it again, now seeing that row (a conflict for the
 * event, as before). UPDATEs and DELETEs are written at once, conditional on
 * the version they were decided on; a miss is a lost race the caller re-decides.
 *
 * Created per transaction attempt, never shared between requests.
 */
import { isTableName, scopeLink, TABLE_NAMES, tableSpec, type TableName, type TableSpec } from '@clinicsync/protocol';
import type { Transaction } from 'kysely';
import type { ServerDb, SystemColumns } from '../../db/schema.ts';
import type { StoredRow, ValidEvent } from './event-types.ts';
import { insertRows, type RowWriter } from './insert-rows.ts';
import { loadStoredRow, loadStoredRows, toSqlValues } from './stored-row.ts';

/** Where the pipeline's steps read stored rows from. */
export type RowSource = {
  /** The row (tombstones included) as this batch currently sees it; undefined when there is none. */
  get(table: TableName, id: string): Promise<StoredRow | undefined>;
};

export type BatchRows = RowSource & {
  /** Loads the records of `events` and the parents they reference, one query per table (repeated up the scope chain). */
  prefetch(events: readonly ValidEvent[]): Promise<void>;
  /** Reads the row again from the database (after a lost race), replacing what the batch had. */
  reload(table: TableName, id: string): Promise<StoredRow | undefined>;
  /** Buffers a new row; it is visible to `get` at once and in the database after the next flush. */
  insert(table: TableName, row: StoredRow): void;
  /** Writes `changes` over the row if it is still at `expectedVersion`; false when another writer got there first. */
  update(
    table: TableName,
    input: {
      readonly expectedVersion: number;
      readonly changes: Readonly<Record<string, unknown>>;
      readonly after: StoredRow;
    },
  ): Promise<boolean>;
  /** Writes the buffered rows and returns the transaction, for statements that must see every row of the batch. */
  flushed(): Promise<Transaction<ServerDb>>;
};

/** The batch-local row cache and insert buffer over `trx`. */
export function createBatchRows(trx: Transaction<ServerDb>, caps: RowWriter): BatchRows {
  // null: known not to exist (as of the read, or until this batch inserts it).
  const cache = new Map<TableName, Map<string, StoredRow | null>>(TABLE_NAMES.map((table) => [table, new Map()]));
  const pending = new Map<TableName, StoredRow[]>();
  const known = (table: TableName) => cache.get(table)!;

  async function load(table: TableName, ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !known(table).has(id));
    if (missing.length === 0) return;
    const found = await loadStoredRows(trx, table, missing, caps);
    for (const id of missing) known(table).set(id, found.get(id) ?? null);
  }

  async function flush(): Promise<void> {
    for (const [table, rows] of pending) {
      if (rows.length === 0) continue;
      pending.set(table, []);
      await insertRows(
        trx,
        caps,
        table,
        rows.map((row) => toDatabaseRow(tableSpec(table), row)),
      );
    }
  }

  return {
    async get(table, id) {
      const cached = known(table).get(id);
      if (cached !== undefined) return cached ?? undefined;
      // Not in the cache, so not written by this batch either: the database has the current state.
      const row = await loadStoredRow(trx, table, id);
      known(table).set(id, row ?? null);
      return row;
    },

    async prefetch(events) {
      let wanted = new Map<TableName, Set<string>>();
      const want = (table: TableName, id: unknown) => {
        if (typeof id !== 'string') return;
        if (!wanted.has(table)) wanted.set(table, new Set());
        wanted.get(table)!.add(id);
      };
      for (const event of events) {
        want(event.table, event.recordId);
        for (const [column, spec] of Object.entries(event.spec.columns)) {
          if (spec.type === 'uuid' && spec.references !== undefined && isTableName(spec.references))
            want(spec.references, event.data[column]);
        }
      }
      // Up the scope chain (vital → patient → organization) until every row's organization is loaded; three steps at most.
      while (wanted.size > 0) {
        const loaded: StoredRow[] = [];
        for (const [table, ids] of wanted) {
          const fresh = [...ids].filter((id) => !known(table).has(id));
          await load(table, fresh);
          for (const id of fresh) {
            const row = known(table).get(id);
            if (row) loaded.push(row);
          }
        }
        const next = new Map<TableName, Set<string>>();
        for (const [table, ids] of wanted) {
          const link = scopeLink(table);
          if (!link) continue;
          const parent = link.parent;
          for (const id of ids) {
            const row = known(table).get(id);
            const parentId = row?.values[link.column];
            if (typeof parentId === 'string' && !known(parent).has(parentId)) {
              if (!next.has(parent)) next.set(parent, new Set());
              next.get(parent)!.add(parentId);
            }
          }
        }
        wanted = next;
      }
    },

    async reload(table, id) {
      await flush();
      const row = await loadStoredRow(trx, table, id);
      known(table).set(id, row ?? null);
      return row;
    },

    insert(table, row) {
      known(table).set(row.id, row);
      if (!pending.has(table)) pending.set(table, []);
      pending.get(table)!.push(row);
    },

    async update(table, { expectedVersion, changes, after }) {
      // The row may be one this batch inserted and has not written yet.
      await flush();
      const updated = await trx
        .updateTable(table)
        .set(changes)
        .where('id', '=', after.id)
        .where('version', '=', expectedVersion)
        .returning('id')
        .executeTakeFirst();
      // On a miss the cached copy is stale: forget it so the next read goes to the database.
      if (updated) known(table).set(after.id, after);
      else known(table).delete(after.id);
      return updated !== undefined;
    },

    async flushed() {
      await flush();
      return trx;
    },
  };
}

/** A new row as its table stores it. */
function toDatabaseRow(spec: TableSpec, row: StoredRow): SystemColumns & Record<string, unknown> {
  return {
    id: row.id,
    version: row.version,
    updated_at: row.updatedAt,
    updated_by: row.updatedBy,
    deleted: row.deleted ? 1 : 0,
    field_versions: JSON.stringify(row.fieldVersions),
    ...toSqlValues(spec, row.values),
  };
}
