/**
 * `createApp` is the composition root of the server: it wires the request id,
 * logging, body limit and error rendering, then mounts each feature's routes.
 * No global state: tests start many apps in one process and two instances can
 * share one PostgreSQL database.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { ApiError, sameText } from '@clinicsync/protocol';
import type { AppEnv } from './app-env.ts';
import { createAdminRoutes } from './routes/admin-routes.ts';
import { createAuthRoutes } from './routes/auth-routes.ts';
import { createBrowserAppRoutes } from './routes/browser-app-routes.ts';
import { createDocsRoutes } from './routes/docs-routes.ts';
import { createMyInvitationRoutes, createOrgInvitationRoutes } from './routes/invitation-routes.ts';
import { createFhirRoutes } from './fhir/fhir-routes.ts';
import { createPullRoutes } from './routes/pull-routes.ts';
import { createPushRoutes } from './routes/push-routes.ts';
import { payloadTooLarge } from './http/payload-too-large.ts';
import { allowedMethods } from './http/allowed-methods.ts';
import { renderError, renderNotFound } from './http/render-error.ts';
import type { ServerDeps } from './server-deps.ts';
import { createLocalNotifier } from './sync/live/change-notifier.ts';

export function createApp(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // One per app, never shared through module state: two apps in one process do not wake each other.
  const notifier = deps.notifier ?? createLocalNotifier();

  app.use(requestId({ limitLength: 64 }));
  // Every answer shares its origin with the browser app (/app/): none may be sniffed into a page or a script.
  app.use(async function noSniff(c, next) {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  });
  app.use(async function logRequest(c, next) {
    const log = deps.log.child({ requestId: c.get('requestId') });
    c.set('log', log);
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    // The route pattern only: paths and query strings can carry ids, emails and cursors.
    const route = c.req.routePath;
    deps.metrics.httpRequests.inc({ route, method: c.req.method, status: String(c.res.status) });
    deps.metrics.httpDuration.observe({ route, method: c.req.method }, seconds);
    log.info({ method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) }, 'request');
  });
  const limitBody = bodyLimit({
    maxSize: deps.config.bodyLimitBytes,
    onError: () => {
      throw payloadTooLarge(deps.config.bodyLimitBytes);
    },
  });
  // A GET or HEAD request never has a body to limit (its Request is built without one), but asking for it makes the
  // Node adapter build the full Request of every pull: a cost per waiting pull that grew with every connected device.
  app.use((c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));

  app.get('/healthz', async (c) => {
    try {
      await deps.caps.ping(deps.db);
    } catch (cause) {
      throw new ApiError('unavailable', 'The database is not reachable.', { cause });
    }
    return c.json({ status: 'ok' });
  });

  app.get('/metrics', async (c) => {
    const token = deps.config.metricsToken;
    if (token && !sameText(c.req.header('authorization') ?? '', `Bearer ${token}`))
      throw new ApiError('unauthorized', 'A metrics token is required.');
    return c.text(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType });
  });

  app.route('/v1', createAuthRoutes({ ...deps, notifier }));
  app.route('/v1/sync', createPushRoutes({ ...deps, notifier }));
  app.route('/v1/sync', createPullRoutes({ ...deps, notifier }));
  // Before the other `/v1/orgs` routes: their auth middleware covers `/v1/orgs/*`, and FHIR's `metadata` is served without a token.
  app.route(
    '/v1/orgs/:orgId/fhir/r4',
    createFhirRoutes({ ...deps, allowedMethods: (path) => allowedMethods(app, path) }),
  );
  app.route('/v1/orgs', createOrgInvitationRoutes(deps));
  app.route('/v1/orgs', createAdminRoutes({ ...deps, notifier }));
  app.route('/v1/invitations', createMyInvitationRoutes({ ...deps, notifier }));
  app.route('/', createDocsRoutes(deps));
  if (deps.browserApp) app.route('/app', createBrowserAppRoutes(deps.browserApp));

  app.notFound((c) => renderNotFound(c, allowedMethods(app, c.req.path)));
  app.onError(renderError);
  return app;
}
