/**
 * `GET /v1/openapi.json` (the generated OpenAPI 3.1 reference) and the
 * reference page at `/docs` with its Swagger UI assets. No token: the
 * reference describes the contract, it holds no data.
 */
import { ApiError } from '@clinicsync/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { buildOpenApiDocument, type OpenApiDocument } from '../openapi/build-document.ts';
import {
  DOCS_CONTENT_SECURITY_POLICY,
  DOCS_PAGE_HTML,
  INITIALIZER_SCRIPT,
  swaggerAssetType,
} from '../openapi/swagger-page.ts';
import type { ServerDeps } from '../server-deps.ts';

/** Mounted at `/`. The document is built on first request and kept for the life of this app. */
export function createDocsRoutes(deps: Pick<ServerDeps, 'docsAssets'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let document: OpenApiDocument | undefined;
  const assets = new Map<string, Promise<{ body: Uint8Array; contentType: string } | undefined>>();

  app.get('/v1/openapi.json', function serveOpenApiDocument(c) {
    document ??= buildOpenApiDocument();
    return c.json(document, 200, { 'cache-control': 'no-cache' });
  });

  app.get('/docs', function serveDocsPage(c) {
    return c.html(DOCS_PAGE_HTML, 200, {
      'content-security-policy': DOCS_CONTENT_SECURITY_POLICY,
      'cache-control': 'no-cache',
    });
  });

  // The page's relative asset URLs only resolve from `/docs`, not `/docs/`.
  app.get('/docs/', function redirectDocsPage(c) {
    return c.redirect('../docs', 301);
  });

  app.get('/docs/initializer.js', function serveDocsInitializer(c) {
    return c.body(INITIALIZER_SCRIPT, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
    });
  });

  app.get('/docs/:asset', async function serveDocsAsset(c) {
    const name = c.req.param('asset');
    let pending = assets.get(name);
    if (!pending) {
      const contentType = swaggerAssetType(name);
      pending = contentType
        ? deps.docsAssets(name).then((body) => body && { body, contentType })
        : Promise.resolve(undefined);
      // Only whitelisted names are remembered, so the map cannot grow with arbitrary requests.
      if (await pending) assets.set(name, pending);
    }
    const asset = await pending;
    if (!asset) throw new ApiError('not_found', 'There is no such file.', { details: { method: c.req.method } });
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      'content-type': asset.contentType,
      'cache-control': 'public, max-age=3600',
    });
  });

  return app;
}
