/**
 * The desktop's local web app, its composition root: the request guard
 * (Host, Origin, launch cookie), security headers, the page that trades the
 * printed open code for the cookie and then serves the UI, and the local API.
 *
 *   GET  /?code=…                        open code → launch cookie, 303 to /    (open-app-page.ts)
 *   GET  /api/feed?after=N               long-poll: session, sync status, device
 *   *    /api/session/…                  register, sign-in, activity, sign-out, stop-syncing
 *   POST /api/sync/now                   push and pull now
 *   *    /api/sync/conflicts|dead-letters inbox of conflicts and refused changes   (session)
 *   *    /api/orgs…, /api/records/…       local store reads and writes            (session)
 *   *    /api/orgs/:orgId/invitations|devices|audit  admin work through the server  (session)
 *   *    /api/invitations…, POST /api/orgs/:orgId/leave  joining and leaving          (session)
 */
import { Hono } from 'hono';
import type { FeedSnapshot } from '../shared/local-api.ts';
import type { DeviceSync } from '../worker/device-sync.ts';
import type { ChangeFeed } from './change-feed.ts';
import { guardLocalRequest, securityHeaders } from './guard-local-request.ts';
import type { LaunchAccess } from './launch-access.ts';
import { localErrorResponse, renderLocalError } from './local-error.ts';
import { createLocalApi } from './local-api-routes.ts';
import { openAppPage } from './open-app-page.ts';
import type { PeopleDirectory } from './people-directory.ts';
import type { RemoteApi } from './remote-api.ts';
import type { UiAssets } from './ui-assets.ts';
import type { UiSession } from './ui-session.ts';

export type LocalAppDeps = {
  readonly port: () => number;
  readonly access: LaunchAccess;
  readonly assets: UiAssets;
  readonly session: UiSession;
  readonly remote: RemoteApi;
  readonly sync: DeviceSync;
  readonly people: PeopleDirectory;
  readonly feed: ChangeFeed;
  readonly snapshot: () => FeedSnapshot;
  readonly dataChanged: () => void;
  readonly deviceId: () => string;
  readonly log: (line: string) => void;
  readonly longPollMs?: number;
};

export function createLocalApp(deps: LocalAppDeps): Hono {
  const app = new Hono();
  app.use(securityHeaders());
  app.use(guardLocalRequest({ port: deps.port, secret: deps.access.secret, pageKey: deps.access.pageKey }));

  app.route('/api', createLocalApi(deps));

  app.get('/', openAppPage({ port: deps.port, access: deps.access, page: () => deps.assets.page }));
  app.get('*', (c) => {
    const asset = deps.assets.files.get(c.req.path);
    if (!asset) return localErrorResponse(c, 'not_found', 'There is no such page.');
    return c.body(new Uint8Array(asset.body), 200, {
      'Content-Type': asset.type,
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
  });

  app.onError((error, c) => renderLocalError(error, c, deps.log));
  return app;
}
