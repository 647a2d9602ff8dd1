/**
 * Many rows in one INSERT, written the way each database takes them best,
 * as SQL text that depends only on the statement's shape (table, columns,
 * row count) — so it is built once per shape, not per batch, and the
 * driver's prepared statement is reused (statement-cache.ts on SQLite).
 * Building and compiling a 500-row INSERT through Kysely cost about 1 ms
 * per statement, four per push batch (bench/README.md).
 *
 * - SQLite: `values (?, …), (?, …)`, every value bound (at most
 *   MAX_PARAMETERS per statement, below SQLite's 32,766).
 * - PostgreSQL: the rows as ONE JSON parameter, expanded by
 *   `json_populate_recordset` into the table's own row type, so the server
 *   parses and plans a short statement instead of one with thousands of
 *   parameters, and the driver serializes one string. Every column is
 *   `text`, `integer`, `bigint` or `double precision` (db/schema.ts), all of
 *   which read a JSON string or number exactly as they read a bound value.
 *
 * Table and column names come from the schema and the registry, never from
 * a payload; they are quoted as identifiers all the same. A value
 * `undefined` is stored as NULL.
 */

/** ON CONFLICT (`conflict`) DO UPDATE SET each of `update` to the incoming row's value. */
export type Upsert = { readonly conflict: readonly string[]; readonly update: readonly string[] };

export type BulkStatement = { readonly sql: string; readonly parameters: readonly unknown[] };

export type BulkInsert = {
  /** How many rows of `columns` columns one statement takes. */
  rowsPerStatement(columns: number): number;
  /** The INSERT of `rows` (at most `rowsPerStatement`), each holding every column of `columns`. */
  statement(
    table: string,
    columns: readonly string[],
    rows: readonly Readonly<Record<string, unknown>>[],
    upsert?: Upsert,
  ): BulkStatement;
};

/** Bound parameters per SQLite statement, below its limit of 32,766, so a chunk never fails for its size. */
export const MAX_PARAMETERS = 30_000;

/** Rows per PostgreSQL statement: one JSON parameter has no count limit, this only bounds its size. */
const POSTGRES_ROWS = 5_000;

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function conflictClause(upsert: Upsert | undefined): string {
  if (!upsert) return '';
  const set = upsert.update.map((column) => `${quoteIdentifier(column)} = "excluded".${quoteIdentifier(column)}`);
  return ` on conflict (${upsert.conflict.map(quoteIdentifier).join(', ')}) do update set ${set.join(', ')}`;
}

/**
 * SQL texts by shape, each built once. Pushes of every size make a shape per
 * table and row count; the texts kept are bounded by their summed length
 * (about 2 MB), past which the cache starts over.
 */
function shapeCache(build: (table: string, columns: readonly string[], rows: number, upsert?: Upsert) => string) {
  const texts = new Map<string, string>();
  let length = 0;
  return (table: string, columns: readonly string[], rows: number, upsert?: Upsert): string => {
    const key = `${table}\u0000${columns.join(',')}\u0000${rows}\u0000${upsert ? `${upsert.conflict}/${upsert.update}` : ''}`;
    let text = texts.get(key);
    if (text === undefined) {
      text = build(table, columns, rows, upsert);
      if (length + text.length > 2_000_000) {
        texts.clear();
        length = 0;
      }
      texts.set(key, text);
      length += text.length;
    }
    return text;
  };
}

const sqliteText = shapeCache((table, columns, rows, upsert) => {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const tuples = new Array<string>(rows).fill(tuple).join(', ');
  return `insert into ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) values ${tuples}${conflictClause(upsert)}`;
});

export const sqliteBulkInsert: BulkInsert = {
  rowsPerStatement: (columns) => Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, columns))),
  statement(table, columns, rows, upsert) {
    const parameters = new Array<unknown>(rows.length * columns.length);
    let at = 0;
    for (const row of rows) {
      for (const column of columns) {
        const value = row[column];
        parameters[at++] = value === undefined ? null : value;
      }
    }
    return { sql: sqliteText(table, columns, rows.length, upsert), parameters };
  },
};

const postgresText = shapeCache((table, columns, _rows, upsert) => {
  const list = columns.map(quoteIdentifier).join(', ');
  return `insert into ${quoteIdentifier(table)} (${list}) select ${list} from json_populate_recordset(null::${quoteIdentifier(table)}, $1::json)${conflictClause(upsert)}`;
});

export const postgresBulkInsert: BulkInsert = {
  rowsPerStatement: () => POSTGRES_ROWS,
  statement(table, columns, rows, upsert) {
    // The replacer keeps only the statement's columns (a missing value reads as NULL); the text is the same for any row count.
    return { sql: postgresText(table, columns, 0, upsert), parameters: [JSON.stringify(rows, columns as string[])] };
  },
};
