/**
 * Settles a pushed batch's answers in the local store, in the batch's
 * transaction (`takeBatch(...).complete`, outbox.ts): an applied event leaves
 * the outbox and its record takes the server's version; a conflict goes to
 * the conflict inbox and a refusal to the dead letters, each with the events
 * of its record still queued behind it.
 */
import { assertNever, type EventResult, type OriginalOutcome } from '@clinicsync/protocol';
import { retireClinicNumberTag } from './clinic-number.ts';
import { fileConflict, fileDeadLetter } from './conflict-records.ts';
import { quoteIdent, rowFromServer, type Row } from './local-columns.ts';
import { organizationOf, readRow } from './local-rows.ts';
import { decodeEvent, type CompleteSummary, type OutboxEvent } from './outbox-event.ts';
import { readServerRow, settleRecord, updateServerRow } from './server-rows.ts';
import { storeSchemaVersion, type StoreContext } from './store-context.ts';

export function settleResults(
  ctx: StoreContext,
  events: readonly OutboxEvent[],
  results: readonly EventResult[],
): CompleteSummary {
  const byEventId = new Map(results.map((r) => [String(r.eventId), r]));
  let applied = 0;
  let conflicts = 0;
  let rejected = 0;
  const unansweredIds: string[] = [];
  for (const event of events) {
    const result = byEventId.get(event.eventId);
    // Gone already (e.g. purged with a revoked organization): nothing left to settle.
    const deleted = result ? ctx.db.run('DELETE FROM _outbox WHERE seq = ?', [event.seq]).changes : 0;
    if (!result || deleted === 0) {
      if (!result) unansweredIds.push(event.eventId);
      continue;
    }
    // A conflict resolution this event carried is settled with it: applied, or filed again below where the user sees it.
    ctx.db.run('DELETE FROM _conflicts WHERE resolved_event_id = ?', [event.eventId]);
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
            : rowFromServer(
                event.table,
                event.recordId,
                outcome.serverVersion,
                outcome.serverRecord,
                false,
                storeSchemaVersion(ctx),
              );
        fileConflict(ctx, event, {
          organizationId:
            stored?.organizationId ?? organizationOf(ctx.db, event.table, event.recordId, event.data ?? {}),
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
      case 'rejected': {
        const stored = readRow(ctx.db, event.table, event.recordId);
        const organizationId =
          stored?.organizationId ?? organizationOf(ctx.db, event.table, event.recordId, event.data ?? {});
        fileDeadLetter(ctx, event, {
          organizationId,
          code: outcome.code,
          message: outcome.message,
          record: stored?.row ?? event.data,
        });
        // The record never came to exist on the server: its later edits can never be sent. Say so now, in words.
        if (event.op === 'INSERT')
          rejected += deadLetterLaterEvents(ctx, event, organizationId, stored?.row ?? event.data);
        settleRecord(ctx.db, event.table, event.recordId, 'refused');
        // Another device holds a number with this device's tag: number the next patients with a new one.
        if (outcome.code === 'duplicate_identifier') retireClinicNumberTag(ctx.db);
        rejected += 1;
        break;
      }
      default:
        assertNever(outcome);
    }
  }
  // Resolutions that had nothing to send are final once a push got through.
  ctx.db.run('DELETE FROM _conflicts WHERE resolution IS NOT NULL AND resolved_event_id IS NULL');
  return { applied, conflicts, rejected, unanswered: unansweredIds.length };
}

export const CREATION_REFUSED_MESSAGE =
  'This record was never created on the server (its creation was refused), so this later change could not be sent.';

/** Moves the record's still-queued events to the dead letters as `creation_refused`; returns how many. */
function deadLetterLaterEvents(
  ctx: StoreContext,
  event: OutboxEvent,
  organizationId: string | null,
  record: Readonly<Record<string, unknown>> | null,
): number {
  const later = ctx.db
    .all('SELECT * FROM _outbox WHERE table_name = ? AND record_id = ? ORDER BY seq', [event.table, event.recordId])
    .map(decodeEvent);
  for (const next of later) {
    ctx.db.run('DELETE FROM _outbox WHERE seq = ?', [next.seq]);
    ctx.db.run('DELETE FROM _conflicts WHERE resolved_event_id = ?', [next.eventId]);
    fileDeadLetter(ctx, next, { organizationId, code: 'creation_refused', message: CREATION_REFUSED_MESSAGE, record });
  }
  return later.length;
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
  db.run(`UPDATE ${quoteIdent(event.table)} SET version = ? WHERE id = ? AND version < ?`, [
    version,
    event.recordId,
    version,
  ]);
  db.run(
    'UPDATE _outbox SET base_version = ? WHERE table_name = ? AND record_id = ? AND seq > ? AND base_version = ?',
    [version, event.table, event.recordId, event.seq, event.baseVersion],
  );
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
