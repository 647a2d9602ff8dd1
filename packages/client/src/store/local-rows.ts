/**
 * Reading and writing whole rows of the local synced tables. Callers decide
 * when (inside their own transaction); this file only knows the SQL.
 */
import { scopeLink, type TableName } from '@clinicsync/protocol';
import { dataColumns, decodeRow, encodeValue, quoteIdent, serverRowBuilder, type Row } from './local-columns.ts';
import type { SqliteDatabase, SqlValue } from './sqlite-database.ts';

export type StoredRow = { readonly row: Row; readonly organizationId: string | null };

/** The stored row (tombstones included), or undefined. */
export function readRow(db: SqliteDatabase, table: TableName, id: string): StoredRow | undefined {
  const stored = db.get(`SELECT * FROM ${quoteIdent(table)} WHERE id = ?`, [id]);
  if (!stored) return undefined;
  return { row: decodeRow(table, stored), organizationId: (stored._organization_id as string | null) ?? null };
}

/**
 * Inserts or replaces a whole row; a null `organizationId` keeps the stored one.
 * The row's own registry columns are written: rows are built with exactly the
 * columns of the store's schema version, so an older store is never asked for
 * a column it does not have.
 */
export function writeRow(db: SqliteDatabase, table: TableName, row: Row, organizationId: string | null): void {
  const data = dataColumns(table)
    .map(([c]) => c)
    .filter((c) => Object.hasOwn(row, c));
  db.run(upsertSql(table, data, false), rowValues(row, organizationId, data));
}

/**
 * Writes whole server rows of one table, each unless the store already holds
 * the row at a newer version: then it is left alone. For pull pages: rows are
 * queued and written `rowsPerStatement` at a time by one multi-row upsert
 * (one statement step instead of one per row; measured in bench/README.md),
 * its SQL prepared once per batch; the version check is part of the upsert
 * instead of a read before it. Rows are written in the order they were
 * queued, so a later row of the same record still wins, and a caller that
 * reads the table between rows calls `flush` first.
 */
export type ServerRowBatch = {
  /**
   * Queues a server row as `serverRowBuilder` makes it for the batch's
   * schema version from `record` (exactly that version's registry columns;
   * missing ones are null), a tombstone when `deleted`. A null
   * `organizationId` keeps the stored one.
   */
  add(
    recordId: string,
    version: number,
    record: Readonly<Record<string, unknown>> | null,
    deleted: boolean,
    organizationId: string | null,
  ): void;
  /** Writes every queued row; returns how many the store took (rows it holds at a newer version are not counted). */
  flush(): number;
};

/**
 * SQLite builds may cap a statement at 999 parameters (the WASM build of the
 * browser store as well as better-sqlite3 take more, but nothing gains from
 * relying on it: past a few dozen rows a longer statement saves little).
 */
const MAX_PARAMETERS = 999;

export function createServerRowBatch(db: SqliteDatabase, table: TableName, schemaVersion: number): ServerRowBatch {
  const data = dataColumns(table, schemaVersion).map(([c]) => c);
  const build = serverRowBuilder(table, schemaVersion);
  const width = SYSTEM_COLUMNS.length + data.length;
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / width));
  // A flush writes full statements, then the rest 8 rows and 1 row at a time: three statement shapes per table,
  // so the store's statement cache stays small whatever the page sizes.
  const shapes = [...new Set([rowsPerStatement, Math.min(8, rowsPerStatement), 1])];
  const statements = new Map<number, ReturnType<SqliteDatabase['prepare']>>();
  const statementFor = (rows: number) => {
    let statement = statements.get(rows);
    if (!statement) statements.set(rows, (statement = db.prepare(upsertSql(table, data, true, rows))));
    return statement;
  };
  let queued: SqlValue[] = [];
  let written = 0;
  const write = (values: SqlValue[], rows: number) => {
    written += statementFor(rows).run(...values).changes;
  };
  return {
    add(recordId, version, record, deleted, organizationId) {
      queued.push(...rowValues(build(recordId, version, record, deleted), organizationId, data));
      if (queued.length === rowsPerStatement * width) {
        write(queued, rowsPerStatement);
        queued = [];
      }
    },
    flush() {
      let offset = 0;
      for (const rows of shapes) {
        for (; queued.length - offset >= rows * width; offset += rows * width)
          write(queued.slice(offset, offset + rows * width), rows);
      }
      queued = [];
      const taken = written;
      written = 0;
      return taken;
    },
  };
}

const SYSTEM_COLUMNS = ['id', 'version', 'updated_at', 'updated_by', 'deleted', '_organization_id'] as const;

/**
 * The upsert of `rows` rows with `data` columns; a null `_organization_id` keeps the stored one; `newerOnly` never
 * rewinds. Rows of one statement are written in order, as separate statements would be.
 */
function upsertSql(table: TableName, data: readonly string[], newerOnly: boolean, rows = 1): string {
  const t = quoteIdent(table);
  const columns = [...SYSTEM_COLUMNS, ...data];
  const updates = columns
    .filter((c) => c !== 'id')
    .map((c) =>
      c === '_organization_id'
        ? `${c} = coalesce(excluded.${c}, ${c})`
        : `${quoteIdent(c)} = excluded.${quoteIdent(c)}`,
    );
  return `INSERT INTO ${t} (${columns.map(quoteIdent).join(', ')}) VALUES ${Array.from({ length: rows }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}
     ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}${newerOnly ? ` WHERE excluded.version >= ${t}.version` : ''}`;
}

/** The values of `upsertSql`'s columns, in its order. */
function rowValues(row: Row, organizationId: string | null, data: readonly string[]): SqlValue[] {
  const values: SqlValue[] = [row.id, row.version, row.updated_at, row.updated_by, row.deleted ? 1 : 0, organizationId];
  for (const c of data) values.push(encodeValue(row[c]));
  return values;
}

export function removeRow(db: SqliteDatabase, table: TableName, id: string): void {
  db.run(`DELETE FROM ${quoteIdent(table)} WHERE id = ?`, [id]);
}

/**
 * The organization a new row belongs to, from the local store: the row itself
 * for organizations, its `organization_id`, or its parent's organization.
 * Null when the parent is not known locally (the server decides then).
 */
export function organizationOf(
  db: SqliteDatabase,
  table: TableName,
  id: string,
  data: Readonly<Record<string, unknown>>,
): string | null {
  const link = scopeLink(table);
  if (!link) return id;
  const parentId = data[link.column];
  if (typeof parentId !== 'string') return null;
  if (link.parent === 'organizations') return parentId;
  // Every local row keeps its organization, so one step up the chain is enough.
  const parent = db.get(`SELECT _organization_id FROM ${quoteIdent(link.parent)} WHERE id = ?`, [parentId]);
  return (parent?._organization_id as string | null | undefined) ?? null;
}
