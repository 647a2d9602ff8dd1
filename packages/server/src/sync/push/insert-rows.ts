/**
 * Multi-row INSERTs for the end of a push batch: one statement per chunk of
 * rows instead of one per row. A statement costs a parse, a plan and a round
 * trip whatever its size, so at 500 events a batch this is most of the
 * difference between per-event and per-batch writing (bench/README.md).
 *
 * The SQL comes from the database's `bulkInsert` (db/bulk-insert.ts): text
 * fixed per shape, so neither Kysely's building and compiling nor SQLite's
 * prepare is paid again for every batch. The statement still carries the
 * same INSERT as a Kysely operation tree, built only when a driver asks for
 * it: the Workers runtime's driver splits a statement past its parameter
 * limit by that tree (packages/edge/src/worker/fit-parameter-limit.ts);
 * the Node drivers never read it.
 */
import { CompiledQuery, type Insertable, type RootOperationNode, type Transaction } from 'kysely';
import type { Upsert } from '../../db/bulk-insert.ts';
import type { Capabilities } from '../../db/capabilities.ts';
import type { ServerDb } from '../../db/schema.ts';

/** What the batch's readers and writers need of the database: its ways of taking many rows and many ids at once. */
export type RowWriter = Pick<Capabilities, 'bulkInsert' | 'textIn'>;

/** Inserts `rows` (all with the same keys) into `table`, one statement per chunk; `upsert` replaces conflicting rows. */
export async function insertRows<T extends keyof ServerDb & string>(
  trx: Transaction<ServerDb>,
  caps: RowWriter,
  table: T,
  rows: readonly Insertable<ServerDb[T]>[],
  upsert?: Upsert,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const size = caps.bulkInsert.rowsPerStatement(columns.length);
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size) as readonly Record<string, unknown>[];
    const { sql, parameters } = caps.bulkInsert.statement(table, columns, chunk, upsert);
    const raw = CompiledQuery.raw(sql, parameters as unknown[]);
    await trx.executeQuery({
      sql: raw.sql,
      parameters: raw.parameters,
      queryId: raw.queryId,
      get query(): RootOperationNode {
        return operationTree(trx, table, chunk, upsert);
      },
    });
  }
}

/** The same INSERT built by Kysely, for drivers that rewrite statements by their tree. */
function operationTree(
  trx: Transaction<ServerDb>,
  table: string,
  rows: readonly Record<string, unknown>[],
  upsert: Upsert | undefined,
): RootOperationNode {
  // The generic table name defeats Kysely's per-table value typing; the caller's type already checked the rows.
  const insert = trx.insertInto(table as keyof ServerDb).values(rows as never);
  if (!upsert) return insert.toOperationNode();
  return insert
    .onConflict((oc) =>
      oc
        .columns(upsert.conflict as never)
        .doUpdateSet(
          Object.fromEntries(upsert.update.map((column) => [column, (eb) => eb.ref(`excluded.${column}` as never)])),
        ),
    )
    .toOperationNode();
}
