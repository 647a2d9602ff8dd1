/**
 * `_outbox`: the local events not yet acknowledged by the server, oldest
 * first. Batches acknowledge themselves (STYLE §7): `takeBatch` hands out the
 * head of the queue and its `complete(results)` settles every answered event
 * in one local transaction. This file is the only code that deletes outbox
 * rows.
 */
import { assert, assertNever, type EventResult, type Op, type OriginalOutcome, type OutboxReport, type SyncEvent, type TableName } from '@clinicsync/protocol';
import { fileConflict, fileDeadLetter, type RefusedEvent } from './conflict-records.ts';
import { quoteIdent, rowFromServer, type Row } from './local-columns.ts';
import { organizationOf, readRow } from './local-rows.ts';
import { readServerRow, settleRecord, updateServerRow } from './server-rows.ts';
import type { SqlRow } from './sqlite-database.ts';
import { storeSchemaVersion, type StoreContext } from './store-context.ts';

export type OutboxEvent = RefusedEvent & {
  readonly seq: number;
  readonly baseVersion: number;
  readonly createdAt: string;
};

export type CompleteSummary = {
  readonly applied: number;
  readonly conflicts: number;
  readonly rejected: number;
  /** Events of the batch the answer did not mention: they stay in the outbox. */
  readonly unanswered: number;
};

export type OutboxBatch = {
  readonly events: readonly OutboxEvent[];
  /** More events wait behind this batch. */
  readonly hasMore: boolean;
  /** Settles the server's per-event results in one transaction; call once. */
  complete(results: readonly EventResult[]): CompleteSummary;
};

/** Appends one event; callers run it in the transaction that writes the row (DESIGN principle 1). */
export function appendEvent(ctx: StoreContext, event: Omit<OutboxEvent, 'seq' | 'createdAt' | 'eventId'>): void {
  ctx.db.run(
    'INSERT INTO _outbox (event_id, table_name, record_id, op, base_version, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [
      ctx.ids.newId(),
      event.table,
      event.recordId,
      event.op,
      event.baseVersion,
      event.data === null ? null : JSON.stringify(event.data),
      ctx.clock.now().toISOString(),
    ],
  );
}

function decodeEvent(stored: SqlRow): OutboxEvent {
  return {
    seq: Number(stored.seq),
    eventId: String(stored.event_id),
    table: String(stored.table_name) as TableName,
    recordId: String(stored.record_id),
    op: String(stored.op) as Op,
    baseVersion: Number(stored.base_version),
    data: stored.data === null ? null : (JSON.parse(String(stored.data)) as Record<string, unknown>),
    createdAt: String(stored.created_at),
  };
}

/** The wire form of an outbox event (PROTOCOL §3). */
export function toSyncEvent(event: OutboxEvent): SyncEvent {
  return {
    eventId: event.eventId as SyncEvent['eventId'],
    table: event.table,
    op: event.op,
    recordId: event.recordId,
    baseVersion: event.baseVersion,
    ...(event.data === null ? {} : { data: { ...event.data } }),
    createdAt: event.createdAt,
  };
}

/** Every pending event, oldest first (tests and diagnostics). */
export function pendingEvents(ctx: StoreContext): OutboxEvent[] {
  return ctx.db.all('SELECT * FROM _outbox ORDER BY seq').map(decodeEvent);
}

/** What a push reports about this device's queue (PROTOCOL §6). */
export function outboxReport(ctx: StoreContext): Required<OutboxReport> {
  const outbox = ctx.db.get('SELECT count(*) AS n, min(created_at) AS oldest FROM _outbox');
  const conflicts = ctx.db.get('SELECT count(*) AS n FROM _conflicts');
  const dead = ctx.db.get('SELECT count(*) AS n FROM _dead_letters');
  return {
    pending: Number(outbox?.n ?? 0),
    oldestPendingAt: (outbox?.oldest as string | null | undefined) ?? null,
    openConflicts: Number(conflicts?.n ?? 0),
    deadLetters: Number(dead?.n ?? 0),
  };
}

/**
 * The head of the outbox: at most `limit` events and about `maxBytes` of
 * JSON, cut before the second event of any record. A later event of a record
 * must wait for the answer to the earlier one, because its baseVersion is
 * only rebased onto the version that answer assigns.
 */
export function takeBatch(ctx: StoreContext, limit: number, maxBytes = 4 * 1024 * 1024): OutboxBatch {
  const candidates = ctx.db.all('SELECT * FROM _outbox ORDER BY seq LIMIT ?', [limit + 1]).map(decodeEvent);
  const events: OutboxEvent[] = [];
  const records = new Set<string>();
  let bytes = 0;
  for (const event of candidates) {
    if (events.length === limit) break;
    const key = `${event.table}/${event.recordId}`;
    const size = JSON.stringify(toSyncEvent(event)).length * 3; // worst-case UTF-8
    if (records.has(key) || (events.length > 0 && bytes + size > maxBytes)) break;
    records.add(key);
    bytes += size;
    events.push(event);
  }
  let completed = false;
  return {
    events,
    hasMore: candidates.length > events.length,
    complete: (results) => {
      assert(!completed, 'an outbox batch is completed once');
      completed = true;
      return ctx.db.transaction(() => settleResults(ctx, events, results));
    },
  };
}

function settleResults(ctx: StoreContext, events: readonly OutboxEvent[], results: readonly EventResult[]): CompleteSummary {
  const byEventId = new Map(results.map((r) => [String(r.eventId), r]));
  let applied = 0;
  let conflicts = 0;
  let rejected = 0;
  let unanswered = 0;
  for (const event of events) {
    const result = byEventId.get(event.eventId);
    // Gone already (e.g. purged with a revoked organization): nothing left to settle.
    const deleted = result ? ctx.db.run('DELETE FROM _outbox WHERE seq = ?', [event.seq]).changes : 0;
    if (!result || deleted === 0) {
      if (!result) unanswered += 1;
      continue;
    }
    // A re-sent event (its first answer was lost) is settled by its original outcome.
    const outcome: OriginalOutcome = result.status === 'duplicate' ? result.original : result;
    switch (outcome.status) {
      case 'applied':
        markApplied(ctx, event, outcome.version);
        settleRecord(ctx.db, event.table, event.recordId, 'applied');
        applied += 1;
        break;
      case 'conflict': {
        const stored = readRow(ctx.db, event.table, event.recordId);
        const server =
          outcome.serverRecord === null
            ? null
            : rowFromServer(event.table, event.recordId, outcome.serverVersion, outcome.serverRecord, false, storeSchemaVersion(ctx));
        fileConflict(ctx, event, {
          organizationId: stored?.organizationId ?? organizationOf(ctx.db, event.table, event.recordId, event.data ?? {}),
          local: stored?.row ?? null,
          server,
          fields: outcome.fields,
          serverVersion: outcome.serverVersion,
        });
        updateServerRow(ctx.db, event.table, event.recordId, { version: outcome.serverVersion, row: server });
        settleRecord(ctx.db, event.table, event.recordId, 'refused');
        conflicts += 1;
        break;
      }
      case 'rejected':
        fileDeadLetter(ctx, event, {
          organizationId: readRow(ctx.db, event.table, event.recordId)?.organizationId ?? organizationOf(ctx.db, event.table, event.recordId, event.data ?? {}),
          code: outcome.code,
          message: outcome.message,
        });
        settleRecord(ctx.db, event.table, event.recordId, 'refused');
        rejected += 1;
        break;
      default:
        assertNever(outcome);
    }
  }
  return { applied, conflicts, rejected, unanswered };
}

/**
 * An event was applied as `version`. When it applied cleanly on the version it
 * was based on (version = baseVersion + 1), the server now holds exactly what
 * this device shows, so the row takes that version and the record's later
 * pending events are rebased onto it, or the device would conflict with
 * itself. When the server merged it over changes this device has not seen,
 * neither is moved: the next pull brings the merged row, and a later event
 * keeps the older baseVersion so the server still guards the unseen fields.
 */
function markApplied(ctx: StoreContext, event: OutboxEvent, version: number): void {
  const { db } = ctx;
  const known = readServerRow(db, event.table, event.recordId);
  const local = readRow(db, event.table, event.recordId)?.row;
  const before: Row | null = known?.row ?? (local ? { ...local } : null);
  const after = serverStateAfter(event, before, version, storeSchemaVersion(ctx));
  if (after) updateServerRow(db, event.table, event.recordId, { version, row: after });

  if (version !== event.baseVersion + 1) return;
  db.run(`UPDATE ${quoteIdent(event.table)} SET version = ? WHERE id = ? AND version < ?`, [version, event.recordId, version]);
  db.run('UPDATE _outbox SET base_version = ? WHERE table_name = ? AND record_id = ? AND seq > ? AND base_version = ?', [
    version,
    event.table,
    event.recordId,
    event.seq,
    event.baseVersion,
  ]);
}

function serverStateAfter(event: OutboxEvent, before: Row | null, version: number, schemaVersion: number): Row | null {
  switch (event.op) {
    case 'INSERT':
      return rowFromServer(event.table, event.recordId, version, event.data, false, schemaVersion);
    case 'UPDATE':
      return before ? { ...before, ...event.data, version } : null;
    case 'DELETE':
      return before ? { ...before, version, deleted: true } : null;
    default:
      return assertNever(event.op);
  }
}

/**
 * Moves the pending events of an organization the user no longer belongs to
 * into the dead letters (PROTOCOL §4 `revokedOrganizations`): kept where the
 * user can see them, never silently dropped. Runs inside the caller's transaction.
 */
export function deadLetterOrganization(ctx: StoreContext, organizationId: string, message: string): number {
  let moved = 0;
  for (const event of pendingEvents(ctx)) {
    const org = readRow(ctx.db, event.table, event.recordId)?.organizationId ?? organizationOf(ctx.db, event.table, event.recordId, event.data ?? {});
    if (org !== organizationId) continue;
    ctx.db.run('DELETE FROM _outbox WHERE seq = ?', [event.seq]);
    fileDeadLetter(ctx, event, { organizationId, code: 'organization_revoked', message });
    moved += 1;
  }
  return moved;
}
