/**
 * Push (PROTOCOL §3, STYLE §7): sends the outbox oldest first in batches of
 * at most 500 and settles each batch's per-event results. Every run sends at
 * least one request, so an empty outbox still reports itself (heartbeat).
 * A lost answer simply leaves the events queued: re-sent, the server answers
 * `duplicate` with the original outcome. Only network errors, timeouts and
 * server failures leave events in the outbox; refused events never block it.
 */
import { MAX_BATCH, type PushRequest } from '@clinicsync/protocol';
import { classifyFailure } from './classify-failure.ts';
import type { LoopContext, StepOutcome } from './loop-context.ts';
import { outboxReport, takeBatch, toSyncEvent } from './store/outbox.ts';
import { storeSchemaVersion } from './store/store-context.ts';
import { writeState } from './store/sync-state.ts';

export async function pushAll(ctx: LoopContext, signal: AbortSignal): Promise<StepOutcome> {
  const { store, status } = ctx;
  status.dispatch({ type: 'push_started' });
  for (let sent = 0; ; sent += 1) {
    if (signal.aborted) return { kind: 'stopped' };
    const batch = takeBatch(store, MAX_BATCH);
    if (batch.events.length === 0 && sent > 0) return { kind: 'done' };
    const request: PushRequest = {
      deviceId: ctx.deviceId as PushRequest['deviceId'],
      schemaVersion: storeSchemaVersion(store),
      ...(ctx.appVersion ? { appVersion: ctx.appVersion } : {}),
      outbox: outboxReport(store),
      events: batch.events.map(toSyncEvent),
    };
    const answer = await ctx.transport.push(request, signal);
    if (!answer.ok) {
      if (answer.failure.kind === 'aborted') return { kind: 'stopped' };
      const action = classifyFailure(answer.failure);
      // A push has no cursor: 410 here is not something a resync fixes.
      return { kind: 'failed', action: action === 'full_resync' ? 'report_bug' : action, failure: answer.failure };
    }
    const head = batch.events[0]?.eventId;
    batch.complete(answer.body.results);
    const at = store.clock.now().toISOString();
    writeState(store.db, 'last_push_at', at);
    status.dispatch({ type: 'pushed', at });
    status.dispatch({ type: 'counts', counts: outboxReport(store) });
    // Stuck head: the server said 200 but the oldest event is still queued. Never hot-loop on it.
    if (head !== undefined && takeBatch(store, 1).events[0]?.eventId === head) {
      return {
        kind: 'failed',
        action: 'report_bug',
        failure: { kind: 'invalid_response', status: 200, message: 'The server did not answer for the oldest queued change.' },
      };
    }
    if (!batch.hasMore && batch.events.length === 0) return { kind: 'done' };
  }
}
