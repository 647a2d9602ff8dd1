/**
 * The reference and the app name the same routes: a route added to the app
 * without documentation, or documented but never mounted, fails here.
 */
import type { Hono } from 'hono';
import { inspectRoutes } from 'hono/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { buildOpenApiDocument } from '../src/openapi/build-document.ts';
import { testDeps, type TestDeps } from './support/test-deps.ts';

/** Served by the app but not part of the API: the reference page and its static files. */
const NOT_API = new Set(['GET /docs', 'GET /docs/', 'GET /docs/initializer.js', 'GET /docs/{asset}']);

/** `METHOD /path/{param}` for every handler the app mounts (middleware excluded), Hono's `:param` written the OpenAPI way. */
function appRoutes(app: Hono<any>): Set<string> {
  return new Set(
    inspectRoutes(app)
      .filter((route) => !route.isMiddleware && route.method !== 'ALL')
      .map((route) => `${route.method} ${route.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}')}`),
  );
}

function documentedRoutes(): Set<string> {
  const doc = buildOpenApiDocument();
  return new Set(
    Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object)
        .filter((key) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
}

describe('routes and the reference', () => {
  let deps: TestDeps;
  let mounted: Set<string>;
  let documented: Set<string>;
  beforeAll(async () => {
    deps = await testDeps();
    mounted = appRoutes(createApp(deps));
    documented = documentedRoutes();
  });
  afterAll(() => deps.database.close());

  it('documents every route the app serves', () => {
    const undocumented = [...mounted].filter((route) => !NOT_API.has(route) && !documented.has(route));
    expect(undocumented, 'routes served by createApp but missing from the OpenAPI document').toEqual([]);
  });

  it('documents no route the app does not serve', () => {
    const phantom = [...documented].filter((route) => !mounted.has(route));
    expect(phantom, 'routes in the OpenAPI document that createApp does not serve').toEqual([]);
  });

  it('the comparison can fail: an extra route on the app shows up as undocumented', () => {
    const app = createApp(deps);
    app.get('/v1/orgs/:orgId/secrets', (c) => c.json({}));
    expect([...appRoutes(app)].filter((route) => !documented.has(route))).toContain('GET /v1/orgs/{orgId}/secrets');
  });

  it('exempts only the reference page and its assets', () => {
    expect([...NOT_API].filter((route) => !mounted.has(route))).toEqual([]);
  });
});
