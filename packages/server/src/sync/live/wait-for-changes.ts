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
 * reads again from the request's positions — together with every other
 * device the same announcement woke (`reread`: coalesced-reads.ts, one
 * snapshot for the batch) — and, when the change turned out to be nothing
 * this device can see, waits again for the time that is left.
 */
import type { PullResponse } from '@clinicsync/protocol';
import type { CursorPosition } from '../pull/cursor.ts';
import type { PullPage } from '../pull/run-pull.ts';
import type { ChangeNotifier } from './change-notifier.ts';
import type { IssuedPages } from './issued-pages.ts';

export type WaitingPullDeps = {
  readonly notifier: ChangeNotifier;
  /** The read when the request arrived (under the instance's pull concurrency limit), which notes the pull on the device. */
  readonly read: () => Promise<PullPage>;
  /**
   * The read after a wake-up, from the request cursor's positions, shared with the other woken pulls; it
   * checks the token again first and throws the request's `ApiError` when it was revoked meanwhile.
   */
  readonly reread: (from: readonly CursorPosition[]) => Promise<PullPage>;
  /** Monotonic milliseconds. */
  readonly now: () => number;
  /** Pages this instance answered lately, by `pageKey(cursor)`: a device asking again from one needs no read while nothing moved. */
  readonly issued: IssuedPages;
  readonly pageKey: (cursor: string) => string;
};

/** Whether a page must be answered at once rather than waited on. */
export function hasNews(page: PullResponse): boolean {
  return page.changes.length > 0 || page.hasMore || page.revokedOrganizations.length > 0;
}

/** Answers a pull that may wait up to `waitMs` for something to send; `signal` ends the wait early (client gone, replaced, shutdown). */
export async function waitForChanges(
  deps: WaitingPullDeps,
  request: {
    readonly userId: string;
    readonly cursor: string | undefined;
    readonly waitMs: number;
    readonly signal: AbortSignal;
  },
): Promise<PullResponse> {
  const deadline = deps.now() + request.waitMs;
  // The page this device was just given: nothing announced since its mark means nothing to read.
  const known = request.cursor === undefined ? undefined : deps.issued.take(deps.pageKey(request.cursor));
  let current: { since: number; response: PullResponse; organizationIds: readonly string[] } | undefined = known && {
    since: known.mark,
    response: {
      changes: [],
      cursor: request.cursor as PullResponse['cursor'],
      hasMore: false,
      revokedOrganizations: [],
    },
    organizationIds: known.organizationIds,
  };
  // Where the request's cursor stands: every read of this request reads from it, as a plain pull with it would.
  let from = known?.positions;
  for (;;) {
    if (!current) {
      // Taken before the read: an announcement that lands between the read and the wait still counts.
      const since = deps.notifier.mark();
      const page = from === undefined ? await deps.read() : await deps.reread(from);
      from = page.from;
      current = { since, response: page.response, organizationIds: page.organizationIds };
      if (!page.response.hasMore)
        deps.issued.remember(deps.pageKey(page.response.cursor), {
          mark: since,
          organizationIds: page.organizationIds,
          positions: page.to,
        });
    }
    const { since, response, organizationIds } = current;
    const left = deadline - deps.now();
    if (hasNews(response) || left <= 0 || request.signal.aborted) return response;
    const outcome = await deps.notifier.wait([...organizationIds, request.userId], {
      since,
      timeoutMs: left,
      signal: request.signal,
    });
    if (outcome !== 'changed') {
      // Answered without a new read: the device comes back with the same cursor, still known.
      if (known && from && response.cursor === request.cursor)
        deps.issued.remember(deps.pageKey(response.cursor), { mark: since, organizationIds, positions: from });
      return response;
    }
    current = undefined;
  }
}
