/**
 * One waiting pull (PROTOCOL §4 "Live", docs/protocol.md "Live pull"): asks
 * the server to hold the pull until something changes in one of the user's
 * organizations, and applies the page it answers with, exactly as the pull
 * loop applies a page (rows and cursor in one local transaction).
 *
 * It says how the wait went, and the scheduler (sync-service.ts) decides
 * what comes next. An answer with nothing in it that comes back long before
 * the time asked is `early`: a server or proxy that does not hold requests
 * must lead to the timer and backoff, never to a loop of instant requests.
 */
import { classifyFailure } from './classify-failure.ts';
import { reportPulledPage } from './pull-loop.ts';
import type { LoopContext } from './loop-context.ts';
import { applyPullPage } from './store/apply-pull-page.ts';
import { storeSchemaVersion } from './store/store-context.ts';
import { readState } from './store/sync-state.ts';
import type { FailureAction } from './sync-status.ts';
import type { TransportFailure } from './transport.ts';

export type LiveOutcome =
  /** Changes arrived and were applied; `more`: further pages wait, pull them with the pull loop. */
  | { readonly kind: 'applied'; readonly more: boolean }
  /** The wait ran its course with nothing new: wait again. */
  | { readonly kind: 'quiet' }
  /** An empty answer well before the time asked: the server or a proxy does not hold requests. */
  | { readonly kind: 'early' }
  | { readonly kind: 'failed'; readonly action: FailureAction; readonly failure: TransportFailure }
  | { readonly kind: 'stopped' };

/** Sends one pull with `wait` = `seconds` from the stored cursor and applies its answer. */
export async function waitLive(ctx: LoopContext, seconds: number, signal: AbortSignal): Promise<LiveOutcome> {
  const { store } = ctx;
  const cursor = readState(store.db, 'cursor');
  // Live follows a completed pull; without a cursor there is a first sync to do, which the pull loop does.
  if (cursor === null) return { kind: 'early' };
  const started = store.clock.now().getTime();
  const answer = await ctx.transport.pull(
    { deviceId: ctx.deviceId, cursor, limit: ctx.pullLimit, schemaVersion: storeSchemaVersion(store), wait: seconds },
    signal,
  );
  if (!answer.ok) {
    if (answer.failure.kind === 'aborted') return { kind: 'stopped' };
    return { kind: 'failed', action: classifyFailure(answer.failure), failure: answer.failure };
  }
  const page = answer.body;
  // A stop that raced the answer: leave the page for the next pull, the cursor did not move.
  if (signal.aborted) return { kind: 'stopped' };
  applyPullPage(store, page);
  const news = page.changes.length > 0 || page.revokedOrganizations.length > 0;
  if (news || page.hasMore) {
    reportPulledPage(ctx, page);
    return { kind: 'applied', more: page.hasMore };
  }
  const waited = store.clock.now().getTime() - started;
  return waited < (seconds * 1000) / 2 ? { kind: 'early' } : { kind: 'quiet' };
}
