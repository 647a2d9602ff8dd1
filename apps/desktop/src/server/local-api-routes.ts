/**
 * The local API itself (`/api/…`, listed in local-app.ts), without the HTTP
 * guard or the page: the routes the UI calls, over the session, the device's
 * sync and the local store. The desktop mounts it behind its request guard;
 * the browser host serves the same routes inside its engine worker, reached
 * over a MessagePort instead of HTTP (apps/browser). Web-standard only.
 */
import { ApiError } from '@clinicsync/protocol';
import { Hono } from 'hono';
import type { FeedSnapshot } from '../shared/local-api.ts';
import type { DeviceSync } from '../worker/device-sync.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { PeopleDirectory } from './people-directory.ts';
import type { RemoteApi } from './remote-api.ts';
import { createAdminRoutes } from './routes/admin-routes.ts';
import { createInvitationRoutes } from './routes/invitation-routes.ts';
import { createRecordRoutes } from './routes/record-routes.ts';
import { requireSession, type LocalEnv } from './routes/require-session.ts';
import { createSessionRoutes } from './routes/session-routes.ts';
import { createSyncRoutes } from './routes/sync-routes.ts';
import type { UiSession } from './ui-session.ts';

export type LocalApiDeps = {
  readonly session: UiSession;
  readonly remote: RemoteApi;
  readonly sync: DeviceSync;
  readonly people: PeopleDirectory;
  readonly feed: ChangeFeed;
  readonly snapshot: () => FeedSnapshot;
  readonly dataChanged: () => void;
  readonly deviceId: () => string;
  readonly longPollMs?: number;
};

/** The `/api` sub-app; mount it with `app.route('/api', createLocalApi(deps))`. */
export function createLocalApi(deps: LocalApiDeps): Hono<LocalEnv> {
  const api = new Hono<LocalEnv>();
  const sessionOnly = requireSession(deps.session, deps.sync);
  // Any write from the page is someone working: keep the session alive.
  api.use(async function noteActivity(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') void deps.session.touch();
    await next();
  });
  api.route('/session', createSessionRoutes(deps));
  api.route('/', createSyncRoutes({ ...deps, requireSession: sessionOnly }));
  api.use('/orgs/*', sessionOnly);
  api.use('/orgs', sessionOnly);
  api.use('/records/*', sessionOnly);
  api.use('/invitations', sessionOnly);
  api.use('/invitations/*', sessionOnly);
  api.route('/', createAdminRoutes(deps));
  api.route('/', createInvitationRoutes(deps));
  api.route('/', createRecordRoutes(deps));
  api.all('*', () => {
    throw new ApiError('not_found', 'There is no such route.');
  });
  return api;
}
