/**
 * Multi-row INSERTs for the end of a push batch: one statement per chunk of
 * rows instead of one per row. A statement costs a parse, a plan and a round
 * trip whatever its size, so at 500 events a batch this is most of the
 * difference between per-event and per-batch writing (bench/README.md).
 */
import type { Insertable, Transaction } from 'kysely';
import type { ServerDb } from '../../db/schema.ts';

/**
 * Bound parameters per statement, below SQLite's 32,766 and PostgreSQL's
 * 65,535, so a chunk never fails for its size on either dialect.
 */
export const MAX_PARAMETERS = 30_000;

/** Splits `rows` into chunks whose parameters (rows × columns) stay under MAX_PARAMETERS. */
export function chunkRows<T>(rows: readonly T[], columnsPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, columnsPerRow)));
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size));
  return chunks;
}

/** Inserts `rows` (all with the same keys) into `table`, one statement per chunk. */
export async function insertRows<T extends keyof ServerDb & string>(
  trx: Transaction<ServerDb>,
  table: T,
  rows: readonly Insertable<ServerDb[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  for (const chunk of chunkRows(rows, Object.keys(rows[0]!).length)) {
    // The generic table name defeats Kysely's per-table value typing; the caller's type already checked the rows.
    await trx
      .insertInto(table)
      .values(chunk as never)
      .execute();
  }
}
