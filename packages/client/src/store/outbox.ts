/**
 * `_outbox`: the local events not yet acknowledged by the server, oldest
 * first. Batches acknowledge themselves (docs/style.md §7): `takeBatch` hands out the
 * head of the queue and its `complete(results)` settles every answered event
 * in one local transaction (settle-results.ts). This file and that one are
 * the only code that deletes outbox rows.
 */
import { assert, TABLES, type EventResult, type OutboxReport } from '@clinicsync/protocol';
import { decodeEvent, toSyncEvent, type CompleteSummary, type OutboxEvent } from './outbox-event.ts';
import { fileDeadLetter } from './conflict-records.ts';
import { organizationOf, readRow } from './local-rows.ts';
import { settleResults } from './settle-results.ts';
import type { StoreContext } from './store-context.ts';

export type OutboxBatch = {
  readonly events: readonly OutboxEvent[];
  /** More events wait behind this batch. */
  readonly hasMore: boolean;
  /** Settles the server's per-event results in one transaction; call once. */
  complete(results: readonly EventResult[]): CompleteSummary;
};

/**
 * Appends one event; callers run it in the transaction that writes the row
 * (docs/architecture.md, principle 1). `seq` puts it at a free earlier place instead (a
 * conflict resolution goes where the refused event stood). Returns the eventId.
 */
export function appendEvent(
  ctx: StoreContext,
  event: Omit<OutboxEvent, 'seq' | 'createdAt' | 'eventId'>,
  seq?: number,
): string {
  const eventId = ctx.ids.newId();
  const free = seq !== undefined && ctx.db.get('SELECT 1 AS one FROM _outbox WHERE seq = ?', [seq]) === undefined;
  ctx.db.run(
    'INSERT INTO _outbox (seq, event_id, table_name, record_id, op, base_version, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [
      free ? seq : null,
      eventId,
      event.table,
      event.recordId,
      event.op,
      event.baseVersion,
      event.data === null ? null : JSON.stringify(event.data),
      ctx.clock.now().toISOString(),
    ],
  );
  return eventId;
}

/** Every pending event, oldest first (tests and diagnostics). */
export function pendingEvents(ctx: StoreContext): OutboxEvent[] {
  return ctx.db.all('SELECT * FROM _outbox ORDER BY seq').map(decodeEvent);
}

/** What a push reports about this device's queue (PROTOCOL §6). */
export function outboxReport(ctx: StoreContext): Required<Omit<OutboxReport, 'organizations'>> {
  const outbox = ctx.db.get('SELECT count(*) AS n, min(created_at) AS oldest FROM _outbox');
  // A resolved conflict waiting to be sent is no longer open: its event counts as pending.
  const conflicts = ctx.db.get('SELECT count(*) AS n FROM _conflicts WHERE resolution IS NULL');
  const dead = ctx.db.get('SELECT count(*) AS n FROM _dead_letters');
  return {
    pending: Number(outbox?.n ?? 0),
    oldestPendingAt: (outbox?.oldest as string | null | undefined) ?? null,
    openConflicts: Number(conflicts?.n ?? 0),
    deadLetters: Number(dead?.n ?? 0),
  };
}

/** The figures the status bar shows: the outbox report plus how many events are held back. */
export type LocalCounts = Required<Omit<OutboxReport, 'organizations'>> & { readonly held: number };

export function localCounts(ctx: StoreContext): LocalCounts {
  const held = ctx.db.get('SELECT count(*) AS n FROM _outbox WHERE held_code IS NOT NULL');
  return { ...outboxReport(ctx), held: Number(held?.n ?? 0) };
}

/**
 * The head of the outbox: at most `limit` events and about `maxBytes` of
 * JSON, cut before the second event of any record. A later event of a record
 * must wait for the answer to the earlier one, because its baseVersion is
 * only rebased onto the version that answer assigns.
 *
 * Held-back events (push-loop.ts) are skipped until their retry time, and so
 * are the later events of their record and events that refer to it (a vital
 * sign of a held patient): everything else still goes out. A held event
 * whose retry time has come is sent alone, so it cannot fail a batch again.
 */
export function takeBatch(ctx: StoreContext, limit: number, maxBytes = 4 * 1024 * 1024): OutboxBatch {
  const anyHeld = ctx.db.get('SELECT 1 AS one FROM _outbox WHERE held_code IS NOT NULL LIMIT 1') !== undefined;
  const candidates = (
    anyHeld
      ? ctx.db.all('SELECT * FROM _outbox ORDER BY seq')
      : ctx.db.all('SELECT * FROM _outbox ORDER BY seq LIMIT ?', [limit + 1])
  ).map(decodeEvent);
  const now = ctx.clock.now().toISOString();
  const events: OutboxEvent[] = [];
  const records = new Set<string>();
  const blocked = new Set<string>();
  let bytes = 0;
  let more = false;
  for (const event of candidates) {
    const key = `${event.table}/${event.recordId}`;
    if (blocked.has(key) || refersTo(event, blocked)) {
      blocked.add(key);
      continue;
    }
    if (event.held && event.held.retryAt > now) {
      blocked.add(key);
      continue;
    }
    if (events.length === limit) {
      more = true;
      break;
    }
    if (event.held) {
      if (events.length === 0) events.push(event);
      more = true;
      break;
    }
    const size = JSON.stringify(toSyncEvent(event)).length * 3; // worst-case UTF-8
    if (records.has(key) || (events.length > 0 && bytes + size > maxBytes)) {
      more = true;
      break;
    }
    records.add(key);
    bytes += size;
    events.push(event);
  }
  let completed = false;
  return {
    events,
    hasMore: more,
    complete: (results) => {
      assert(!completed, 'an outbox batch is completed once');
      completed = true;
      return ctx.db.transaction(() => settleResults(ctx, events, results));
    },
  };
}

/** True when the event's data refers (through a registry reference) to a record in `blocked`. */
function refersTo(event: OutboxEvent, blocked: ReadonlySet<string>): boolean {
  if (blocked.size === 0 || event.data === null) return false;
  for (const [name, column] of Object.entries(TABLES[event.table].columns)) {
    if (column.type !== 'uuid' || !column.references) continue;
    const value = event.data[name];
    if (typeof value === 'string' && blocked.has(`${column.references}/${value}`)) return true;
  }
  return false;
}

/**
 * Records that a push carries these events: from now on the server may have
 * them. Returns the ones it marked, for `unmarkSent` when the request failed
 * without reaching the server.
 */
export function markSent(ctx: StoreContext, events: readonly OutboxEvent[]): number[] {
  const at = ctx.clock.now().toISOString();
  return ctx.db.transaction(() =>
    events
      .filter(
        (event) =>
          ctx.db.run('UPDATE _outbox SET sent_at = ? WHERE seq = ? AND sent_at IS NULL', [at, event.seq]).changes > 0,
      )
      .map((e) => e.seq),
  );
}

/** The push that marked them failed on the network before any answer: count them as never sent. */
export function unmarkSent(ctx: StoreContext, seqs: readonly number[]): void {
  ctx.db.transaction(() => {
    for (const seq of seqs) ctx.db.run('UPDATE _outbox SET sent_at = NULL WHERE seq = ?', [seq]);
  });
}

/**
 * Holds an event back: the server failed on it alone. It stays in the outbox
 * (never dropped), is shown with `reason`, and is retried alone after a delay
 * that doubles with every failure (30 s up to 30 min).
 */
export function holdEvent(
  ctx: StoreContext,
  eventId: string,
  reason: { readonly code: string; readonly message: string },
): void {
  const stored = ctx.db.get('SELECT attempts FROM _outbox WHERE event_id = ?', [eventId]);
  if (!stored) return;
  const attempts = Number(stored.attempts ?? 0) + 1;
  const delayMs = Math.min(30 * 60_000, 30_000 * 2 ** Math.min(attempts - 1, 10));
  const retryAt = new Date(ctx.clock.now().getTime() + delayMs).toISOString();
  ctx.db.run('UPDATE _outbox SET attempts = ?, held_code = ?, held_message = ?, retry_at = ? WHERE event_id = ?', [
    attempts,
    reason.code,
    reason.message,
    retryAt,
    eventId,
  ]);
}

/**
 * Moves the pending events of an organization the user no longer belongs to
 * into the dead letters (PROTOCOL §4 `revokedOrganizations`): kept where the
 * user can see them, never silently dropped. Runs inside the caller's transaction.
 */
export function deadLetterOrganization(ctx: StoreContext, organizationId: string, message: string): number {
  let moved = 0;
  for (const event of pendingEvents(ctx)) {
    const stored = readRow(ctx.db, event.table, event.recordId);
    const org = stored?.organizationId ?? organizationOf(ctx.db, event.table, event.recordId, event.data ?? {});
    if (org !== organizationId) continue;
    ctx.db.run('DELETE FROM _outbox WHERE seq = ?', [event.seq]);
    fileDeadLetter(ctx, event, {
      organizationId,
      code: 'organization_revoked',
      message,
      record: stored?.row ?? event.data,
    });
    moved += 1;
  }
  return moved;
}

/**
 * Takes an event no push has carried yet out of the queue (a conflict's
 * resolution taken back); returns false, changing nothing, when it is gone
 * or a push already carried it.
 */
export function withdrawUnsent(ctx: StoreContext, eventId: string): boolean {
  return ctx.db.run('DELETE FROM _outbox WHERE event_id = ? AND sent_at IS NULL', [eventId]).changes > 0;
}
