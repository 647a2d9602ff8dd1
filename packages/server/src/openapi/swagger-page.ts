/**
 * The human-readable reference at `/docs`: Swagger UI from the installed
 * `swagger-ui-dist` package, served by this server (no CDN, so the page works
 * on a clinic network without internet), reading `/v1/openapi.json`.
 * The files themselves come through the `docsAssets` port: read from the
 * installed package on Node (`node/swagger-assets.ts`), bundled into the
 * Worker on the edge.
 */

/** The only files served under `/docs/`: a fixed list, so no request path ever reaches the file system. */
export const SWAGGER_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * Inline scripts are refused by the page's CSP, so the start-up code is a file
 * of its own. Relative URLs keep the page working behind a path prefix.
 */
export const INITIALIZER_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    // Relative to the page (\`/docs\`), so it also works behind a path prefix.
    url: new URL('v1/openapi.json', document.baseURI).href,
    dom_id: '#swagger-ui',
    deepLinking: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    // No call to the public validator service: the page must not leak the API's shape or need the internet.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

/** `/docs` is answered with this page; its assets are fetched from `docs/…` relative to it. */
export const DOCS_PAGE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>ClinicSync API reference</title>
    <link rel="stylesheet" href="docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="docs/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="docs/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/swagger-ui-bundle.js"></script>
    <script src="docs/initializer.js"></script>
  </body>
</html>
`;

/**
 * Same-origin only: Swagger UI needs inline styles and `data:` images, nothing
 * else. "Try it out" calls this server, so `connect-src 'self'`.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The content type of a whitelisted asset name; undefined for any other name. */
export function swaggerAssetType(name: string): string | undefined {
  return Object.hasOwn(SWAGGER_ASSETS, name) ? SWAGGER_ASSETS[name] : undefined;
}
