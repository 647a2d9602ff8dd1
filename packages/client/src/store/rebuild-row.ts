/**
 * Recomputes what the store shows for one record from what it knows of the
 * server and its unsent edits: the last known server row (`_server_rows`)
 * with the record's queued events applied in order. Used after the queue of
 * a record changed other than by appending (a conflict resolution queued at
 * the refused event's place, an undone resolution), so the row shows exactly
 * what will be on the server once the queue is sent.
 */
import type { TableName } from '@clinicsync/protocol';
import { rowFromServer, type Row } from './local-columns.ts';
import { readRow, removeRow, writeRow } from './local-rows.ts';
import { readServerRow } from './server-rows.ts';
import type { SqlRow } from './sqlite-database.ts';
import { storeSchemaVersion, type StoreContext } from './store-context.ts';

export function rebuildRow(ctx: StoreContext, table: TableName, recordId: string): void {
  const { db } = ctx;
  const events = db.all('SELECT op, data FROM _outbox WHERE table_name = ? AND record_id = ? ORDER BY seq', [
    table,
    recordId,
  ]);
  const known = readServerRow(db, table, recordId);
  if (events.length === 0) {
    // Nothing queued any more: the store shows the server's state, and forgets it as a fallback.
    db.run('DELETE FROM _server_rows WHERE table_name = ? AND record_id = ?', [table, recordId]);
    if (!known) return;
    if (known.row === null) removeRow(db, table, recordId);
    else writeRow(db, table, known.row, null);
    return;
  }
  const current = readRow(db, table, recordId);
  let row: Row | null = known ? known.row : (current?.row ?? null);
  for (const event of events) row = applyQueued(ctx, table, recordId, row, event);
  if (row === null) removeRow(db, table, recordId);
  else writeRow(db, table, { ...row, updated_at: ctx.clock.now().toISOString() }, null);
}

function applyQueued(
  ctx: StoreContext,
  table: TableName,
  recordId: string,
  row: Row | null,
  event: SqlRow,
): Row | null {
  const data = event.data === null ? {} : (JSON.parse(String(event.data)) as Record<string, unknown>);
  switch (String(event.op)) {
    case 'INSERT':
      return {
        ...rowFromServer(table, recordId, row?.version ?? 0, data, false, storeSchemaVersion(ctx)),
        updated_by: row?.updated_by ?? null,
      };
    case 'UPDATE':
      return row ? { ...row, ...data } : row;
    case 'DELETE':
      return row ? { ...row, deleted: true } : row;
    default:
      return row;
  }
}
