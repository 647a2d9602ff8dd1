/**
 * The waiting pull (PROTOCOL §4 "Live", docs/protocol.md "Live pull"): read
 * a page as any pull does; when it carries something (changes, more pages,
 * revoked organizations) answer at once, else wait until the log of one of
 * the user's organizations moves (or their membership does), read again and
 * answer; when the time is up, answer the empty page already read. The
 * answer is always the normal pull shape, so a client or proxy that knows
 * nothing of waiting still reads it.
 *
 * Waiting costs one timer and one listener; there is no polling. A wake-up
 * reads the log again (one query) and, when the change turned out to be
 * nothing this device can see, waits again for the time that is left.
 */
import type { PullResponse } from '@clinicsync/protocol';
import type { PullPage } from '../pull/run-pull.ts';
import type { ChangeNotifier } from './change-notifier.ts';

export type WaitingPullDeps = {
  readonly notifier: ChangeNotifier;
  /** One pull read (under the instance's pull concurrency limit); `first`: the read when the request arrived, which notes the pull on the device. */
  readonly read: (first: boolean) => Promise<PullPage>;
  /** Checked after every wake-up before reading again: throws the request's `ApiError` when the token was revoked meanwhile. */
  readonly recheck: () => Promise<void>;
  /** Monotonic milliseconds. */
  readonly now: () => number;
};

/** Whether a page must be answered at once rather than waited on. */
export function hasNews(page: PullResponse): boolean {
  return page.changes.length > 0 || page.hasMore || page.revokedOrganizations.length > 0;
}

/** Answers a pull that may wait up to `waitMs` for something to send; `signal` ends the wait early (client gone, replaced, shutdown). */
export async function waitForChanges(
  deps: WaitingPullDeps,
  request: { readonly userId: string; readonly waitMs: number; readonly signal: AbortSignal },
): Promise<PullResponse> {
  const deadline = deps.now() + request.waitMs;
  for (let first = true; ; first = false) {
    // Taken before the read: an announcement that lands between the read and the wait still counts.
    const since = deps.notifier.mark();
    const page = await deps.read(first);
    const left = deadline - deps.now();
    if (hasNews(page.response) || left <= 0 || request.signal.aborted) return page.response;
    const outcome = await deps.notifier.wait([...page.organizationIds, request.userId], { since, timeoutMs: left, signal: request.signal });
    if (outcome !== 'changed') return page.response;
    await deps.recheck();
  }
}
