/**
 * `GET /v1/sync/pull` (sync token) and `GET /v1/sync/schema` (PROTOCOL §4, §5).
 * The schema route is public: it reveals only the table registry, which every
 * client ships anyway, and a client must be able to learn that it is too old
 * before it has a token.
 *
 * A pull with `wait` > 0 is a waiting pull (PROTOCOL §4 "Live",
 * docs/protocol.md "Live pull"): it may be held until something arrives.
 */
import { ApiError, pullQuerySchema, type PullResponse } from '@clinicsync/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { findSyncTokenOwner } from '../auth/devices.ts';
import { bearerToken, requireSyncToken } from '../auth/require-token.ts';
import { createConcurrencyLimit } from '../http/concurrency-limit.ts';
import { readQuery } from '../http/read-json.ts';
import type { ServerDeps } from '../server-deps.ts';
import type { ChangeNotifier } from '../sync/live/change-notifier.ts';
import { createIssuedPages, issuedPageKey } from '../sync/live/issued-pages.ts';
import { waitForChanges } from '../sync/live/wait-for-changes.ts';
import { createWaitSlots } from '../sync/live/wait-slots.ts';
import { createCursorCodec } from '../sync/pull/cursor.ts';
import { describeSchema } from '../sync/pull/describe-schema.ts';
import { readPullPage } from '../sync/pull/run-pull.ts';
import { checkSchemaVersion, schemaVersionOfQuery } from '../sync/schema-version-gate.ts';

// A refused waiting pull comes back after this long: by then waits of other devices have ended and freed their slots.
const WAIT_REFUSED_RETRY_SECONDS = 30;
// Pages remembered so a device's next waiting pull from them needs no read (sync/live/issued-pages.ts); a few MiB at most.
const ISSUED_PAGES = 20_000;

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

  app.get('/schema', (c) => c.json(schema));

  app.get('/pull', requireSyncToken(deps), async (c) => {
    // Before the rest of the query is validated, as push does: an old client is told to upgrade whatever else it sends.
    checkSchemaVersion(schemaVersionOfQuery(c.req.query('schemaVersion')), minSupportedSchemaVersion);
    const query = readQuery(c, pullQuerySchema);
    const actor = c.get('syncActor');
    const read = (notePull = true) =>
      pulls.run(() =>
        readPullPage({ db: deps.db, clock: deps.clock, cursors, minSupportedSchemaVersion }, actor, query, {
          notePull,
        }),
      );
    const pageKey = (cursor: string) =>
      issuedPageKey({ ...actor, schemaVersion: query.schemaVersion, limit: query.limit, cursor });
    let page: PullResponse;
    if (query.wait === 0) {
      const since = deps.notifier.mark();
      const read0 = await read();
      page = read0.response;
      // The engine's waiting pull follows its plain pull: from this cursor it then starts waiting without a read.
      if (!page.hasMore) issued.remember(pageKey(page.cursor), { mark: since, organizationIds: read0.organizationIds });
    } else {
      const decision = slots.acquire(actor);
      if (decision.kind === 'refused') {
        throw new ApiError('rate_limited', 'Too many waiting pulls. Pull without waiting, and wait again later.', {
          details: {
            reason: 'too_many_waiting_pulls',
            limit: decision.limit,
            retryAfterSeconds: WAIT_REFUSED_RETRY_SECONDS,
          },
          headers: { 'Retry-After': String(WAIT_REFUSED_RETRY_SECONDS) },
        });
      }
      const token = bearerToken(c);
      try {
        page = await waitForChanges(
          {
            notifier: deps.notifier,
            read,
            issued,
            pageKey,
            now: () => performance.now(),
            // A device revoked while it waited must not read one more page.
            recheck: async () => {
              const owner = await findSyncTokenOwner(deps, token);
              if (owner.kind === 'revoked')
                throw new ApiError(
                  'token_revoked',
                  "This device's sync token has been revoked. Sign in again on this device.",
                );
              if (owner.kind !== 'active') throw new ApiError('unauthorized', 'A valid token is required.');
            },
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
    }
    deps.metrics.pullChanges.inc(page.changes.length);
    return c.json(page);
  });

  return app;
}
