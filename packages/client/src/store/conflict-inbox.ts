/**
 * The conflict inbox and the dead letters as the app sees them, and the three
 * ways to resolve a conflict (keep mine, take theirs, save a merge). A
 * resolution that sends something goes through the normal write path, so it
 * becomes a new event based on the server version the row now shows.
 */
import { assertNever, type Op, type TableName } from '@clinicsync/protocol';
import { NotFoundError } from '../errors.ts';
import { dataColumns, type Row } from './local-columns.ts';
import { readRow, writeRow } from './local-rows.ts';
import { hasPendingEvents } from './server-rows.ts';
import type { SqlRow } from './sqlite-database.ts';
import type { StoreContext } from './store-context.ts';
import { deleteRecord, insertRecord, updateRecord } from './write-record.ts';

/** A local edit the server refused because the record changed there first. */
export type Conflict = {
  readonly id: string;
  readonly table: TableName;
  readonly recordId: string;
  readonly eventId: string;
  readonly op: Op;
  /** The local row when the conflict was reported (with the refused edit). */
  readonly local: Record<string, unknown> | null;
  /** The server's row at `serverVersion`; null when the server does not have it. */
  readonly server: Record<string, unknown> | null;
  /** Fields that changed on both sides. */
  readonly fields: readonly string[];
  readonly serverVersion: number;
  readonly createdAt: string;
  /** The fields the refused event tried to write (null for a DELETE). */
  readonly changes: Record<string, unknown> | null;
  readonly organizationId: string | null;
};

/** A local edit the server refused for good (or that can no longer be sent); kept until discarded. */
export type DeadLetter = {
  readonly id: string;
  readonly table: TableName;
  readonly recordId: string;
  readonly eventId: string;
  readonly op: Op;
  readonly data: Record<string, unknown> | null;
  readonly code: string;
  readonly message: string;
  readonly createdAt: string;
  readonly organizationId: string | null;
};

export type ConflictResolution = { readonly kind: 'keep_mine' } | { readonly kind: 'take_theirs' } | { readonly kind: 'merge'; readonly data: Record<string, unknown> };

function parseJson(value: unknown): Record<string, unknown> | null {
  return value === null || value === undefined ? null : (JSON.parse(String(value)) as Record<string, unknown>);
}

function decodeConflict(stored: SqlRow): Conflict {
  return {
    id: String(stored.id),
    table: String(stored.table_name) as TableName,
    recordId: String(stored.record_id),
    eventId: String(stored.event_id),
    op: String(stored.op) as Op,
    local: parseJson(stored.local),
    server: parseJson(stored.server),
    fields: JSON.parse(String(stored.fields)) as string[],
    serverVersion: Number(stored.server_version),
    createdAt: String(stored.created_at),
    changes: parseJson(stored.changes),
    organizationId: (stored.organization_id as string | null) ?? null,
  };
}

/** Open conflicts, oldest first. */
export function listConflicts(ctx: StoreContext): Conflict[] {
  return ctx.db.all('SELECT * FROM _conflicts ORDER BY created_at, rowid').map(decodeConflict);
}

/** Dead letters, oldest first. */
export function listDeadLetters(ctx: StoreContext): DeadLetter[] {
  return ctx.db.all('SELECT * FROM _dead_letters ORDER BY created_at, rowid').map((stored) => ({
    id: String(stored.id),
    table: String(stored.table_name) as TableName,
    recordId: String(stored.record_id),
    eventId: String(stored.event_id),
    op: String(stored.op) as Op,
    data: parseJson(stored.data),
    code: String(stored.code),
    message: String(stored.message),
    createdAt: String(stored.created_at),
    organizationId: (stored.organization_id as string | null) ?? null,
  }));
}

/** Forgets a dead letter: the user decided its edit is not needed. Throws NotFoundError. */
export function discardDeadLetter(ctx: StoreContext, id: string): void {
  if (ctx.db.run('DELETE FROM _dead_letters WHERE id = ?', [id]).changes === 0) throw new NotFoundError('dead_letter', id);
}

/**
 * Resolves a conflict in one transaction. `take_theirs` keeps the server's row
 * (the store already shows it unless newer edits are queued); `keep_mine`
 * sends the refused change again; `merge` sends the given fields. Throws
 * NotFoundError (conflict, or a record the server has deleted) or
 * LocalValidationError (bad merge data); the conflict then stays open.
 */
export function resolveConflict(ctx: StoreContext, id: string, resolution: ConflictResolution): void {
  ctx.db.transaction(() => {
    const stored = ctx.db.get('SELECT * FROM _conflicts WHERE id = ?', [id]);
    if (!stored) throw new NotFoundError('conflict', id);
    const conflict = decodeConflict(stored);
    ctx.db.run('DELETE FROM _conflicts WHERE id = ?', [id]);
    switch (resolution.kind) {
      case 'take_theirs':
        return takeTheirs(ctx, conflict);
      case 'keep_mine':
        return conflict.op === 'DELETE' ? deleteAgain(ctx, conflict) : sendAgain(ctx, conflict, mine(conflict));
      case 'merge':
        return sendAgain(ctx, conflict, resolution.data);
      default:
        return assertNever(resolution);
    }
  });
}

function takeTheirs(ctx: StoreContext, conflict: Conflict): void {
  if (conflict.server === null || hasPendingEvents(ctx.db, conflict.table, conflict.recordId)) return;
  const current = readRow(ctx.db, conflict.table, conflict.recordId);
  // A pull may have brought a newer server row since; never go back in time.
  if (current && current.row.version > conflict.serverVersion) return;
  writeRow(ctx.db, conflict.table, conflict.server as Row, null);
}

/** The local side of a conflict as fields to send: the refused change, or the whole local row for an INSERT. */
function mine(conflict: Conflict): Record<string, unknown> {
  if (conflict.op === 'UPDATE') return conflict.changes ?? {};
  const local = conflict.local ?? conflict.changes ?? {};
  return Object.fromEntries(dataColumns(conflict.table).filter(([c]) => local[c] !== undefined && local[c] !== null).map(([c]) => [c, local[c]]));
}

function sendAgain(ctx: StoreContext, conflict: Conflict, data: Record<string, unknown>): void {
  const current = readRow(ctx.db, conflict.table, conflict.recordId);
  if (!current) {
    // The server never had the record: send it as new.
    insertRecord(ctx, conflict.table, { ...data, id: conflict.recordId });
    return;
  }
  if (current.row.deleted) throw new NotFoundError('record', conflict.recordId);
  updateRecord(ctx, conflict.table, conflict.recordId, data);
}

function deleteAgain(ctx: StoreContext, conflict: Conflict): void {
  const current = readRow(ctx.db, conflict.table, conflict.recordId);
  if (current && !current.row.deleted) deleteRecord(ctx, conflict.table, conflict.recordId);
}
