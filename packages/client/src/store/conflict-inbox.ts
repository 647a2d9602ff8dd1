/**
 * The conflict inbox and the dead letters as the app sees them, and the
 * three ways to resolve a conflict: keep mine, take theirs, save a merge
 * (docs/conflict-resolution.md). A resolution is decided from the conflict
 * itself (plan-resolution.ts), queued as a new event based on the server
 * version the conflict showed, at the place the refused event had in the
 * outbox, and can be undone until a push carries it.
 */
import type { Op, TableName } from '@clinicsync/protocol';
import { NotFoundError, ResolutionSentError } from '../errors.ts';
import { conflictingFields } from './conflict-fields.ts';
import { rowFromServer, type Row } from './local-columns.ts';
import { readRow, removeRow, writeRow } from './local-rows.ts';
import { appendEvent, withdrawUnsent } from './outbox.ts';
import { planResolution } from './plan-resolution.ts';
import { rebuildRow } from './rebuild-row.ts';
import { hasPendingEvents, rememberServerRow, updateServerRow } from './server-rows.ts';
import type { SqlRow } from './sqlite-database.ts';
import { storeSchemaVersion, type StoreContext } from './store-context.ts';
import { validate } from './write-record.ts';

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
  /** The fields the server named: the refused edit's fields it changed since the edit's base (or its strict fields). */
  readonly fields: readonly string[];
  /**
   * The fields really in conflict: both sides hold different values there.
   * Keep mine / take theirs decide these only; every other change of either
   * side survives either way. Empty when the server does not have the record.
   */
  readonly conflictingFields: readonly string[];
  /** The version of the server's row the conflict shows; a resolution is based on it. */
  readonly serverVersion: number;
  readonly createdAt: string;
  /** The fields the refused event tried to write (null for a DELETE). */
  readonly changes: Record<string, unknown> | null;
  readonly organizationId: string | null;
};

/** A resolution chosen whose event the server has not answered yet. */
export type UnsentResolution = {
  readonly conflict: Conflict;
  readonly resolution: ConflictResolution;
  readonly resolvedAt: string;
  /** The outbox event that carries it; null when it had nothing to send. */
  readonly eventId: string | null;
  /** False while a push carries it or after the server may have it: `undoResolution` then throws ResolutionSentError. */
  readonly canUndo: boolean;
};

/** A local edit the server refused for good (or that can no longer be sent); kept until discarded. */
export type DeadLetter = {
  readonly id: string;
  readonly table: TableName;
  readonly recordId: string;
  readonly eventId: string;
  readonly op: Op;
  /** What the refused event carried: the whole row of an INSERT, the changed fields of an UPDATE, null for a DELETE. */
  readonly data: Record<string, unknown> | null;
  /** The record as this device had it when the change was refused (names the patient); null when unknown. */
  readonly record: Record<string, unknown> | null;
  /**
   * A protocol rejection code (PROTOCOL §3), or one of the client's own:
   * `organization_revoked` (the user left the organization), `creation_refused`
   * (the record's creation was refused, so this later change cannot be sent).
   */
  readonly code: string;
  readonly message: string;
  readonly createdAt: string;
  readonly organizationId: string | null;
};

export type ConflictResolution =
  | { readonly kind: 'keep_mine' }
  | { readonly kind: 'take_theirs' }
  | { readonly kind: 'merge'; readonly data: Record<string, unknown> };

function parseJson(value: unknown): Record<string, unknown> | null {
  return value === null || value === undefined ? null : (JSON.parse(String(value)) as Record<string, unknown>);
}

function decodeConflict(stored: SqlRow): Conflict {
  const table = String(stored.table_name) as TableName;
  const op = String(stored.op) as Op;
  const local = parseJson(stored.local);
  const server = parseJson(stored.server);
  const changes = parseJson(stored.changes);
  const fields = JSON.parse(String(stored.fields)) as string[];
  return {
    id: String(stored.id),
    table,
    recordId: String(stored.record_id),
    eventId: String(stored.event_id),
    op,
    local,
    server,
    fields,
    // Conflicts filed before the column existed are worked out the same way now.
    conflictingFields:
      stored.conflicting === null || stored.conflicting === undefined
        ? conflictingFields({ table, op, changes, local, server, serverFields: fields })
        : (JSON.parse(String(stored.conflicting)) as string[]),
    serverVersion: Number(stored.server_version),
    createdAt: String(stored.created_at),
    changes,
    organizationId: (stored.organization_id as string | null) ?? null,
  };
}

/** Open conflicts (not resolved), oldest first. */
export function listConflicts(ctx: StoreContext): Conflict[] {
  return ctx.db.all('SELECT * FROM _conflicts WHERE resolution IS NULL ORDER BY created_at, rowid').map(decodeConflict);
}

/** Resolutions chosen whose outcome the server has not answered yet, oldest first; `canUndo` says which may still be undone. */
export function listUnsentResolutions(ctx: StoreContext): UnsentResolution[] {
  return ctx.db
    .all(
      `SELECT c.*, o.seq AS outbox_event, o.sent_at AS event_sent_at FROM _conflicts c LEFT JOIN _outbox o ON o.event_id = c.resolved_event_id
       WHERE c.resolution IS NOT NULL AND (c.resolved_event_id IS NULL OR o.seq IS NOT NULL)
       ORDER BY c.resolved_at, c.rowid`,
    )
    .map((stored) => ({
      conflict: decodeConflict(stored),
      resolution: JSON.parse(String(stored.resolution)) as ConflictResolution,
      resolvedAt: String(stored.resolved_at),
      eventId: (stored.resolved_event_id as string | null) ?? null,
      canUndo: stored.resolved_event_id === null || stored.event_sent_at === null,
    }));
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
    record: parseJson(stored.record),
    code: String(stored.code),
    message: String(stored.message),
    createdAt: String(stored.created_at),
    organizationId: (stored.organization_id as string | null) ?? null,
  }));
}

/** Forgets a dead letter: the user decided its edit is not needed. Throws NotFoundError. */
export function discardDeadLetter(ctx: StoreContext, id: string): void {
  if (ctx.db.run('DELETE FROM _dead_letters WHERE id = ?', [id]).changes === 0)
    throw new NotFoundError('dead_letter', id);
}

/**
 * Resolves an open conflict in one transaction: queues what the resolution
 * sends (plan-resolution.ts) based on the conflict's `serverVersion`, and
 * shows the outcome in the store at once. The conflict stays listed as an
 * unsent resolution until a push carries it. Throws NotFoundError (no such
 * open conflict; keep mine or merge on a record the server has deleted) or
 * LocalValidationError (bad merge data); the conflict then stays open.
 */
export function resolveConflict(ctx: StoreContext, id: string, resolution: ConflictResolution): void {
  ctx.db.transaction(() => {
    const stored = ctx.db.get('SELECT * FROM _conflicts WHERE id = ? AND resolution IS NULL', [id]);
    if (!stored) throw new NotFoundError('conflict', id);
    const conflict = decodeConflict(stored);
    const plan = planResolution(conflict, resolution, (mode, data) => validate(ctx, conflict.table, mode, data));
    const { table, recordId } = conflict;
    const server = serverRow(ctx, conflict);
    let eventId: string | null = null;
    if (plan.kind !== 'nothing' || hasPendingEvents(ctx.db, table, recordId)) {
      // From here the record has queued edits: remember the server state they rest on (server-rows.ts invariant).
      rememberServerRow(ctx.db, table, recordId);
      updateServerRow(ctx.db, table, recordId, { version: conflict.serverVersion, row: server });
    }
    if (plan.kind !== 'nothing') {
      const event =
        plan.kind === 'delete'
          ? { table, recordId, op: 'DELETE' as const, baseVersion: conflict.serverVersion, data: null }
          : plan.kind === 'insert'
            ? { table, recordId, op: 'INSERT' as const, baseVersion: 0, data: plan.data }
            : { table, recordId, op: 'UPDATE' as const, baseVersion: conflict.serverVersion, data: plan.data };
      eventId = appendEvent(ctx, event, (stored.outbox_seq as number | null) ?? undefined);
    }
    ctx.db.run('UPDATE _conflicts SET resolution = ?, resolved_event_id = ?, resolved_at = ? WHERE id = ?', [
      JSON.stringify(resolution),
      eventId,
      ctx.clock.now().toISOString(),
      id,
    ]);
    if (hasPendingEvents(ctx.db, table, recordId)) rebuildRow(ctx, table, recordId);
    else showServerRow(ctx, table, recordId, server, conflict.serverVersion);
  });
}

/**
 * Takes back a resolution that no push has carried yet: its event leaves the
 * outbox, the conflict is open again and the store shows what it showed
 * before. Throws NotFoundError (no resolved conflict with that id) or
 * ResolutionSentError (a push already carried it).
 */
export function undoResolution(ctx: StoreContext, id: string): void {
  ctx.db.transaction(() => {
    const stored = ctx.db.get('SELECT * FROM _conflicts WHERE id = ? AND resolution IS NOT NULL', [id]);
    if (!stored) throw new NotFoundError('conflict', id);
    const eventId = (stored.resolved_event_id as string | null) ?? null;
    if (eventId !== null && !withdrawUnsent(ctx, eventId)) throw new ResolutionSentError(id);
    ctx.db.run('UPDATE _conflicts SET resolution = NULL, resolved_event_id = NULL, resolved_at = NULL WHERE id = ?', [
      id,
    ]);
    rebuildRow(ctx, String(stored.table_name) as TableName, String(stored.record_id));
  });
}

function serverRow(ctx: StoreContext, conflict: Conflict): Row | null {
  if (conflict.server === null) return null;
  return rowFromServer(
    conflict.table,
    conflict.recordId,
    conflict.serverVersion,
    conflict.server,
    false,
    storeSchemaVersion(ctx),
  );
}

/** Nothing queued for the record: it shows the server's row, unless a pull already brought a newer one. */
function showServerRow(
  ctx: StoreContext,
  table: TableName,
  recordId: string,
  server: Row | null,
  serverVersion: number,
): void {
  const current = readRow(ctx.db, table, recordId);
  if (current && current.row.version > serverVersion) return;
  if (server === null) removeRow(ctx.db, table, recordId);
  else writeRow(ctx.db, table, server, null);
}
