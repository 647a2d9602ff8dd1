/**
 * `GET /v1/sync/pull` (sync token) and `GET /v1/sync/schema` (PROTOCOL §4, §5).
 * The schema route is public: it reveals only the table registry, which every
 * client ships anyway, and a client must be able to learn that it is too old
 * before it has a token.
 *
 * A pull with `wait` > 0 is a waiting pull (PROTOCOL §4 "Live",
 * docs/protocol.md "Live pull"): it may be held until something arrives.
 */
import { type ApiError, pullQuerySchema, type PullResponse } from '@clinicsync/protocol';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { AppEnv } from '../app-env.ts';
import type { SyncActor } from '../app-env.ts';
import { findSyncTokenOwnersByHash } from '../auth/devices.ts';
import { bearerToken, requireSyncToken, syncTokenRevoked, unauthorized } from '../auth/require-token.ts';
import { hashToken } from '../auth/token-hash.ts';
import { createConcurrencyLimit } from '../http/concurrency-limit.ts';
import { readQuery, readQueryValue } from '../http/read-json.ts';
import type { ServerDb } from '../db/schema.ts';
import type { ServerDeps } from '../server-deps.ts';
import type { ChangeNotifier } from '../sync/live/change-notifier.ts';
import { createCoalescedReads, DEFERRED } from '../sync/live/coalesced-reads.ts';
import { createIssuedPages, issuedPageKey } from '../sync/live/issued-pages.ts';
import { waitForChanges } from '../sync/live/wait-for-changes.ts';
import { createWaitSlots } from '../sync/live/wait-slots.ts';
import { createCursorCodec } from '../sync/pull/cursor.ts';
import { describeSchema } from '../sync/pull/describe-schema.ts';
import { pullAnswerBody } from '../sync/pull/pull-answer-body.ts';
import type { CursorPosition } from '../sync/pull/cursor.ts';
import {
  checkPullDevice,
  readPullPage,
  readPullPages,
  type PageRequest,
  type PageOutcome,
  type PullPage,
} from '../sync/pull/run-pull.ts';
import { checkSchemaVersion, schemaVersionOfQuery } from '../sync/schema-version-gate.ts';
import { rateLimited } from '../http/rate-limited.ts';

// A refused waiting pull comes back after this long: by then waits of other devices have ended and freed their slots.
const WAIT_REFUSED_RETRY_SECONDS = 30;
// Pages remembered so a device's next waiting pull from them needs no read (sync/live/issued-pages.ts); a few MiB at most.
const ISSUED_PAGES = 20_000;
// Woken pulls read in one snapshot at most this many at a time (sync/live/coalesced-reads.ts): bounded statements, and a batch
// that ends soon enough for the next wake-up to follow.
const MAX_WOKEN_BATCH = 500;
// Distinct pages one woken batch reads (one change-log read each, in turn); the rest go first into the next batch, so a
// batch of many organizations woken together ends as soon as that many pages were read.
const MAX_WOKEN_PAGES = 16;

/** A woken waiting pull's read: its page request and the hash of its token, checked again inside the snapshot. */
type WokenRead = PageRequest & { readonly tokenHash: string };

/** Mounted at `/v1/sync`. */
export function createPullRoutes(
  deps: Pick<ServerDeps, 'db' | 'clock' | 'secrets' | 'metrics' | 'config' | 'hashing'> & {
    readonly notifier: ChangeNotifier;
  },
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const cursors = createCursorCodec(deps.secrets.cursorKey);
  const minSupportedSchemaVersion = deps.config.minSupportedSchemaVersion;
  const schema = describeSchema(minSupportedSchemaVersion);
  const pulls = createConcurrencyLimit(deps.config.maxConcurrentPulls);
  const slots = createWaitSlots({
    perUser: deps.config.maxWaitingPullsPerUser,
    perInstance: deps.config.maxWaitingPulls,
  });
  const issued = createIssuedPages(ISSUED_PAGES);
  const pullDeps = { db: deps.db, clock: deps.clock, cursors, minSupportedSchemaVersion };
  // Every device one write woke reads in one snapshot; the batch holds one slot of the pull limit (its pages are bounded
  // together by readPullPages' byte budget, about one page's worth).
  const woken = createCoalescedReads<WokenRead, Exclude<PageOutcome, { kind: 'deferred' }>>({
    maxBatch: MAX_WOKEN_BATCH,
    readBatch: async (requests) =>
      (
        await pulls.run(() => readPullPages(pullDeps, requests, { admit: recheckTokens, maxPages: MAX_WOKEN_PAGES }))
      ).map((outcome) => (outcome.kind === 'deferred' ? DEFERRED : outcome)),
  });
  const reread = async (request: WokenRead): Promise<PullPage> => {
    const outcome = await woken.read(request);
    if (outcome.kind === 'refused') throw outcome.error;
    return outcome.page;
  };

  app.get('/schema', (c) => c.json(schema));

  app.get('/pull', requireSyncToken(deps), async (c) => {
    // Before the rest of the query is validated, as push does: an old client is told to upgrade whatever else it sends.
    checkSchemaVersion(schemaVersionOfQuery(readQueryValue(c, 'schemaVersion')), minSupportedSchemaVersion);
    const query = readQuery(c, pullQuerySchema);
    const actor = c.get('syncActor');
    const read = (notePull = true) => pulls.run(() => readPullPage(pullDeps, actor, query, { notePull }));
    const pageKey = (cursor: string) =>
      issuedPageKey({ ...actor, schemaVersion: query.schemaVersion, limit: query.limit, cursor });
    let page: PullResponse;
    if (query.wait === 0) {
      const since = deps.notifier.mark();
      const read0 = await read();
      page = read0.response;
      // The engine's waiting pull follows its plain pull: from this cursor it then starts waiting without a read.
      if (!page.hasMore)
        issued.remember(pageKey(page.cursor), {
          mark: since,
          organizationIds: read0.organizationIds,
          positions: read0.to,
        });
    } else {
      // Before the wait: a wait from a remembered cursor reads nothing at first, and readPullPage would check it there.
      checkPullDevice(actor, query);
      const decision = slots.acquire(actor);
      if (decision.kind === 'refused') {
        throw rateLimited(
          'Too many waiting pulls. Pull without waiting, and wait again later.',
          WAIT_REFUSED_RETRY_SECONDS,
          {
            reason: 'too_many_waiting_pulls',
            limit: decision.limit,
          },
        );
      }
      // Hashed once: every wake-up checks the token again, in the woken batch's snapshot.
      const tokenHash = hashToken(deps.hashing, bearerToken(c));
      try {
        page = await waitForChanges(
          {
            notifier: deps.notifier,
            read: () => read(),
            reread: (from: readonly CursorPosition[]) =>
              reread({ actor, schemaVersion: query.schemaVersion, limit: query.limit, from, tokenHash }),
            issued,
            pageKey,
            now: () => performance.now(),
          },
          {
            userId: actor.userId,
            cursor: query.cursor,
            waitMs: query.wait * 1000,
            signal: AbortSignal.any([c.req.raw.signal, decision.slot.signal]),
          },
        );
      } finally {
        decision.slot.release();
      }
      deps.metrics.pullChanges.inc(page.changes.length);
      // Woken devices share their page's changes: their JSON is encoded once, not once per device (pull-answer-body.ts).
      const body = pullAnswerBody(page);
      return c.body(body.stream, 200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
    }
    deps.metrics.pullChanges.inc(page.changes.length);
    return c.json(page);
  });

  return app;
}

/**
 * A device revoked while it waited must not read one more page: each woken pull's token is looked up again in the
 * batch's snapshot (one query for the batch), and a revoked or replaced one is refused as `requireSyncToken` would.
 */
async function recheckTokens(trx: Kysely<ServerDb>, requests: readonly WokenRead[]): Promise<(ApiError | undefined)[]> {
  const owners = await findSyncTokenOwnersByHash(trx, [...new Set(requests.map((r) => r.tokenHash))]);
  return requests.map((r) => {
    const owner = owners.get(r.tokenHash);
    if (owner?.kind === 'revoked') return syncTokenRevoked();
    if (owner?.kind !== 'active' || !sameDevice(owner, r.actor)) return unauthorized();
    return undefined;
  });
}

function sameDevice(owner: { readonly userId: string; readonly deviceId: string }, actor: SyncActor): boolean {
  return owner.userId === actor.userId && owner.deviceId === actor.deviceId;
}
