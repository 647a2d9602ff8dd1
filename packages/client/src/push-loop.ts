/**
 * Push (PROTOCOL §3, docs/style.md §7): sends the outbox oldest first in batches of
 * at most 500 and settles each batch's per-event results. Every run sends at
 * least one request, so an empty outbox still reports itself (heartbeat).
 * A lost answer simply leaves the events queued: re-sent, the server answers
 * `duplicate` with the original outcome. Refused events never block it.
 *
 * One bad event never stops a device (docs/conflict-resolution.md "Held-back
 * changes"): when the server fails a batch in a way its content may cause
 * (400, 413, 5xx other than 503), the batch is halved and retried at once
 * until the failing event is alone. If an empty push then gets through and
 * the event fails alone a second time, the server is fine and that event is
 * what it fails on: it is held back — kept
 * in the outbox, shown with its reason, retried alone later with a growing
 * delay — and everything else goes on syncing. If the empty push fails too,
 * the server is down: the usual backoff. The halving is bounded, so a
 * failing server costs a few requests, never a hot loop.
 */
import { MAX_BATCH, type PushRequest } from '@clinicsync/protocol';
import { classifyFailure, mayBeContent } from './classify-failure.ts';
import type { LoopContext, StepOutcome } from './loop-context.ts';
import { holdEvent, localCounts, markSent, outboxReport, takeBatch, unmarkSent } from './store/outbox.ts';
import { toSyncEvent, type OutboxEvent } from './store/outbox-event.ts';
import { outboxByOrganization } from './store/outbox-by-organization.ts';
import { storeSchemaVersion } from './store/store-context.ts';
import { writeState } from './store/sync-state.ts';
import type { TransportFailure } from './transport.ts';

// log2(500) halvings and a probe for each of a few bad events, then back off like any failure.
const MAX_ISOLATION_REQUESTS = 24;

function pushRequest(ctx: LoopContext, events: readonly OutboxEvent[]): PushRequest {
  return {
    deviceId: ctx.deviceId as PushRequest['deviceId'],
    schemaVersion: storeSchemaVersion(ctx.store),
    ...(ctx.appVersion ? { appVersion: ctx.appVersion } : {}),
    // Totals (the v1 report) and the split per organization, so each organization's admins see only their share.
    outbox: { ...outboxReport(ctx.store), organizations: outboxByOrganization(ctx.store) },
    events: events.map(toSyncEvent),
  };
}

function heldReason(failure: TransportFailure): { code: string; message: string } {
  const status = failure.kind === 'http' || failure.kind === 'invalid_response' ? failure.status : 0;
  const code = failure.kind === 'http' ? failure.code : 'invalid_response';
  return {
    code,
    message: `The server failed on this change each time it was sent (HTTP ${status}). It is kept on this computer and sent again later.`,
  };
}

export async function pushAll(ctx: LoopContext, signal: AbortSignal): Promise<StepOutcome> {
  const { store, status } = ctx;
  status.dispatch({ type: 'push_started' });
  let limit = MAX_BATCH;
  let isolation = 0;
  // The event that failed alone once: it is held back only if it fails alone again (a passing hiccup is not its fault).
  let suspect: string | undefined;
  for (let sent = 0; ; sent += 1) {
    if (signal.aborted) return { kind: 'stopped' };
    const batch = takeBatch(store, limit);
    if (batch.events.length === 0 && sent > 0) return { kind: 'done' };
    // While in flight the server may get these events: a resolution they carry can no longer be undone.
    const marked = markSent(store, batch.events);
    const answer = await ctx.transport.push(pushRequest(ctx, batch.events), signal);
    if (!answer.ok) {
      // No answer at all (a dead network): counted as never sent, so an offline device can still undo. A timeout
      // or a stop mid-request may have reached the server and stays sent. If a request did arrive after all, the
      // undone choice meets the server's version again as a new conflict: visible, never lost (docs/conflict-resolution.md).
      if (answer.failure.kind === 'network' || answer.failure.kind === 'no_token') unmarkSent(store, marked);
      if (answer.failure.kind === 'aborted') return { kind: 'stopped' };
      if (batch.events.length > 0 && mayBeContent(answer.failure) && isolation < MAX_ISOLATION_REQUESTS) {
        isolation += 1;
        if (batch.events.length > 1) {
          limit = Math.ceil(batch.events.length / 2);
          continue;
        }
        // One event fails alone: is it this event, or the whole server? An empty push tells.
        isolation += 1;
        const probe = await ctx.transport.push(pushRequest(ctx, []), signal);
        if (probe.ok) {
          const eventId = batch.events[0]!.eventId;
          if (suspect !== eventId) {
            suspect = eventId;
            continue;
          }
          holdEvent(store, eventId, heldReason(answer.failure));
          status.dispatch({ type: 'counts', counts: localCounts(store) });
          suspect = undefined;
          limit = MAX_BATCH;
          continue;
        }
        if (probe.failure.kind === 'aborted') return { kind: 'stopped' };
      }
      const action = classifyFailure(answer.failure);
      // A push has no cursor: 410 here is not something a resync fixes.
      return { kind: 'failed', action: action === 'full_resync' ? 'report_bug' : action, failure: answer.failure };
    }
    batch.complete(answer.body.results);
    // The server said 200 but left events unanswered: hold them back (retried alone later) instead of looping on them.
    const answered = new Set(answer.body.results.map((r) => String(r.eventId)));
    for (const event of batch.events) {
      if (!answered.has(event.eventId))
        holdEvent(store, event.eventId, {
          code: 'no_answer',
          message: 'The server did not answer for this change. It is kept on this computer and sent again later.',
        });
    }
    const at = store.clock.now().toISOString();
    writeState(store.db, 'last_push_at', at);
    status.dispatch({ type: 'pushed', at });
    status.dispatch({ type: 'counts', counts: localCounts(store) });
    if (!batch.hasMore && batch.events.length === 0) return { kind: 'done' };
  }
}
