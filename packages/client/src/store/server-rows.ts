/**
 * `_server_rows`: for every record with unsent edits, the last server state
 * this device knows (null = the server does not have the record). Pull never
 * overwrites a row with unsent edits, so when those edits end up refused
 * (conflict, rejection) the row falls back to this state instead of keeping
 * values the server never accepted.
 *
 * Invariant: a record has a `_server_rows` entry exactly while it has events
 * in the outbox.
 */
import type { TableName } from '@clinicsync/protocol';
import type { Row } from './local-columns.ts';
import { readRow, removeRow, writeRow } from './local-rows.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

export type ServerRow = { readonly version: number; readonly row: Row | null };

export function readServerRow(db: SqliteDatabase, table: TableName, recordId: string): ServerRow | undefined {
  const stored = db.get('SELECT version, row FROM _server_rows WHERE table_name = ? AND record_id = ?', [
    table,
    recordId,
  ]);
  if (!stored) return undefined;
  return { version: Number(stored.version), row: stored.row === null ? null : (JSON.parse(String(stored.row)) as Row) };
}

/** Before the first unsent edit of a record: the local row is still the server's state, remember it. */
export function rememberServerRow(db: SqliteDatabase, table: TableName, recordId: string): void {
  if (readServerRow(db, table, recordId)) return;
  const current = readRow(db, table, recordId)?.row;
  // A row never acknowledged (version 0) does not exist on the server.
  const row = current && current.version > 0 ? current : null;
  putServerRow(db, table, recordId, { version: row?.version ?? 0, row });
}

/** Records a newer server state (from pull, a conflict answer or an applied event); older states are ignored. */
export function updateServerRow(db: SqliteDatabase, table: TableName, recordId: string, next: ServerRow): void {
  const known = readServerRow(db, table, recordId);
  if (known && known.version > next.version) return;
  putServerRow(db, table, recordId, next);
}

function putServerRow(db: SqliteDatabase, table: TableName, recordId: string, next: ServerRow): void {
  db.run(
    `INSERT INTO _server_rows (table_name, record_id, version, row) VALUES (?, ?, ?, ?)
     ON CONFLICT (table_name, record_id) DO UPDATE SET version = excluded.version, row = excluded.row`,
    [table, recordId, next.version, next.row === null ? null : JSON.stringify(next.row)],
  );
}

export function hasPendingEvents(db: SqliteDatabase, table: TableName, recordId: string): boolean {
  return (
    db.get('SELECT 1 AS one FROM _outbox WHERE table_name = ? AND record_id = ? LIMIT 1', [table, recordId]) !==
    undefined
  );
}

/**
 * After an event of a record left the outbox: when it was the record's last
 * one, forget the server state; if that last event was refused, put the
 * server state back into the row first, so the store shows what the server
 * has (the refused edit lives on in the conflict inbox or dead letters).
 */
export function settleRecord(
  db: SqliteDatabase,
  table: TableName,
  recordId: string,
  lastOutcome: 'applied' | 'refused',
): void {
  if (hasPendingEvents(db, table, recordId)) return;
  const known = readServerRow(db, table, recordId);
  db.run('DELETE FROM _server_rows WHERE table_name = ? AND record_id = ?', [table, recordId]);
  if (lastOutcome === 'applied' || !known) return;
  if (known.row === null) removeRow(db, table, recordId);
  else writeRow(db, table, known.row, null);
}
