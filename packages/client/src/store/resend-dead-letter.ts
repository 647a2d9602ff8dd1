/**
 * "Edit and send again" for a refused change (docs/conflict-resolution.md
 * "Dead letters"): the change, with the person's corrections, goes through the
 * normal write path as a new edit of the record as it is now, and the dead
 * letter is gone in the same transaction. When the write path refuses it, the
 * dead letter stays.
 */
import { assertNever } from '@clinicsync/protocol';
import { NotFoundError } from '../errors.ts';
import { listDeadLetters } from './conflict-inbox.ts';
import { readRow } from './local-rows.ts';
import type { StoreContext } from './store-context.ts';
import { deleteRecord, insertRecord, updateRecord } from './write-record.ts';

/** Throws NotFoundError (no such dead letter, or its record is gone) or LocalValidationError (the corrected data). */
export function resendDeadLetter(
  ctx: StoreContext,
  id: string,
  corrections: Readonly<Record<string, unknown>> = {},
): void {
  ctx.db.transaction(() => {
    const letter = listDeadLetters(ctx).find((d) => d.id === id);
    if (!letter) throw new NotFoundError('dead_letter', id);
    const data = { ...(letter.data ?? {}), ...corrections };
    const current = readRow(ctx.db, letter.table, letter.recordId);
    switch (letter.op) {
      case 'INSERT':
        // A refused creation left nothing behind here or on the server: create it again under its own id.
        if (current && !current.row.deleted)
          updateRecord(ctx, letter.table, letter.recordId, withoutScope(letter.table, data, current.row));
        else if (!current) insertRecord(ctx, letter.table, { ...data, id: letter.recordId });
        else throw new NotFoundError('record', letter.recordId);
        break;
      case 'UPDATE':
        updateRecord(ctx, letter.table, letter.recordId, data);
        break;
      case 'DELETE':
        deleteRecord(ctx, letter.table, letter.recordId);
        break;
      default:
        assertNever(letter.op);
    }
    ctx.db.run('DELETE FROM _dead_letters WHERE id = ?', [id]);
  });
}

/** Values equal to the row's (its immutable scope among them) are left out, so the write path sees only real changes. */
function withoutScope(
  _table: string,
  data: Record<string, unknown>,
  row: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([k, v]) => (row[k] ?? null) !== (v ?? null)));
}
