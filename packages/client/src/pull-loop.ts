/**
 * Pull (PROTOCOL §4): asks for pages until `hasMore` is false, applying each
 * page and its cursor in one local transaction. `410 cursor_invalid` starts a
 * full resync from no cursor, keeping unsent edits. The cursor is never reset
 * on auth or network errors. While a page is applied, the next one is already
 * asked for (one request ahead, never more).
 */
import type { PullResponse } from '@clinicsync/protocol';
import { classifyFailure } from './classify-failure.ts';
import { sleep } from './sleep.ts';
import type { LoopContext, StepOutcome } from './loop-context.ts';
import { applyPullPage } from './store/apply-pull-page.ts';
import { localCounts } from './store/outbox.ts';
import { storeSchemaVersion } from './store/store-context.ts';
import { readState, startFullResync, writeState } from './store/sync-state.ts';

export async function pullAll(ctx: LoopContext, signal: AbortSignal): Promise<StepOutcome> {
  const { store, status } = ctx;
  status.dispatch({ type: 'pull_started', initial: readState(store.db, 'cursor') === null });
  let resynced = false;
  const request = (cursor: string | null) =>
    ctx.transport.pull(
      { deviceId: ctx.deviceId, cursor, limit: ctx.pullLimit, schemaVersion: storeSchemaVersion(store) },
      signal,
    );
  // The next page's request, sent before this page is applied: its round trip and the server's read overlap the
  // local transaction. Used only when the stored cursor is the one it was asked from (a resync discards it).
  let ahead: { readonly cursor: string; readonly answer: ReturnType<typeof request> } | undefined;
  for (;;) {
    if (signal.aborted) return { kind: 'stopped' };
    const cursor = readState(store.db, 'cursor');
    const answer = await (ahead && ahead.cursor === cursor ? ahead.answer : request(cursor));
    ahead = undefined;
    if (!answer.ok) {
      if (answer.failure.kind === 'aborted') return { kind: 'stopped' };
      const action = classifyFailure(answer.failure);
      // One resync per run: a server refusing even "no cursor" needs a human, not a loop.
      if (action === 'full_resync' && !resynced && cursor !== null) {
        resynced = true;
        startFullResync(store.db);
        status.dispatch({ type: 'pull_started', initial: true });
        continue;
      }
      return { kind: 'failed', action: action === 'full_resync' ? 'report_bug' : action, failure: answer.failure };
    }
    const page = answer.body;
    if (page.hasMore && page.changes.length === 0 && page.cursor === cursor) {
      return {
        kind: 'failed',
        action: 'report_bug',
        failure: { kind: 'invalid_response', status: 200, message: 'The pull cursor did not move.' },
      };
    }
    if (page.hasMore) {
      ahead = { cursor: page.cursor, answer: request(page.cursor) };
      // The request only leaves once the event loop turns (the transport awaits the token, fetch writes later);
      // applying the page first, synchronously, would send it after the apply and the two would not overlap.
      await sleep(0, signal);
    }
    applyPullPage(store, page);
    reportPulledPage(ctx, page);
    if (!page.hasMore) return { kind: 'done' };
  }
}

/** Tells the status about an applied page; the last page of a pull also notes when the device was last up to date. */
export function reportPulledPage(ctx: LoopContext, page: PullResponse): void {
  const { store, status } = ctx;
  status.dispatch({ type: 'pulled_page', received: page.changes.length });
  status.dispatch({ type: 'counts', counts: localCounts(store) });
  if (page.hasMore) return;
  const at = store.clock.now().toISOString();
  writeState(store.db, 'last_pull_at', at);
  status.dispatch({ type: 'pulled', at });
}
