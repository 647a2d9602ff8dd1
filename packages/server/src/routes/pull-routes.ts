/**
 * `GET /v1/sync/pull` (sync token) and `GET /v1/sync/schema` (PROTOCOL §4, §5).
 * The schema route is public: it reveals only the table registry, which every
 * client ships anyway, and a client must be able to learn that it is too old
 * before it has a token.
 */
import { pullQuerySchema } from '@clinicsync/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { requireSyncToken } from '../auth/require-token.ts';
import { createConcurrencyLimit } from '../http/concurrency-limit.ts';
import { readQuery } from '../http/read-json.ts';
import type { ServerDeps } from '../server-deps.ts';
import { createCursorCodec } from '../sync/pull/cursor.ts';
import { describeSchema } from '../sync/pull/describe-schema.ts';
import { runPull } from '../sync/pull/run-pull.ts';

/** Mounted at `/v1/sync`. */
export function createPullRoutes(deps: Pick<ServerDeps, 'db' | 'clock' | 'secrets' | 'metrics' | 'config'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const cursors = createCursorCodec(deps.secrets.cursorKey);
  const minSupportedSchemaVersion = deps.config.minSupportedSchemaVersion;
  const schema = describeSchema(minSupportedSchemaVersion);
  const pulls = createConcurrencyLimit(deps.config.maxConcurrentPulls);

  app.get('/schema', (c) => c.json(schema));

  app.get('/pull', requireSyncToken(deps), async (c) => {
    const query = readQuery(c, pullQuerySchema);
    const page = await pulls.run(() => runPull({ db: deps.db, clock: deps.clock, cursors, minSupportedSchemaVersion }, c.get('syncActor'), query));
    deps.metrics.pullChanges.inc(page.changes.length);
    return c.json(page);
  });

  return app;
}
