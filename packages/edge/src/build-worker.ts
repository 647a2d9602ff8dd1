/**
 * Bundles the Worker (src/worker/index.ts and the server core it runs) into
 * one ES module for the Workers runtime, with the Swagger UI files and the
 * browser app (`/app/`, PROTOCOL §7) embedded.
 * Used by `wrangler deploy` (the `[build]` command in wrangler.toml) and,
 * through the bundle cache (worker-bundle-cache.ts), by `clinicsync-edge`,
 * so both run the same bundle.
 */
import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// Only the asset list, not the server core: this runs at every start of clinicsync-edge.
import { SWAGGER_ASSETS } from '../../server/src/openapi/swagger-page.ts';
import { browserAppFiles, type EmbeddedBrowserApp } from './embed-browser-app.ts';

const ENTRY = fileURLToPath(new URL('./worker/index.ts', import.meta.url));

/** `clinicsync:swagger-assets`: the whitelisted Swagger UI files as base64 strings. */
const swaggerAssetsPlugin: Plugin = {
  name: 'clinicsync-swagger-assets',
  setup(builder) {
    builder.onResolve({ filter: /^clinicsync:swagger-assets$/ }, (args) => ({
      path: args.path,
      namespace: 'clinicsync-assets',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'clinicsync-assets' }, async () => {
      const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
      const assets: Record<string, string> = {};
      for (const name of Object.keys(SWAGGER_ASSETS))
        assets[name] = (await readFile(join(dir, name))).toString('base64');
      return { contents: `export default ${JSON.stringify(assets)};`, loader: 'js' };
    });
  },
};

/** `clinicsync:browser-app`: the built browser app's files (base64) with their types, or null when it could not be built. */
function browserAppPlugin(app: EmbeddedBrowserApp): Plugin {
  return {
    name: 'clinicsync-browser-app',
    setup(builder) {
      builder.onResolve({ filter: /^clinicsync:browser-app$/ }, (args) => ({
        path: args.path,
        namespace: 'clinicsync-app',
      }));
      builder.onLoad({ filter: /.*/, namespace: 'clinicsync-app' }, () => ({
        contents: `export default ${JSON.stringify(app.module)};`,
        loader: 'js',
      }));
    },
  };
}

export type WorkerBundle = {
  /** The bundled Worker module's source text. */
  readonly script: string;
  /** Whether the browser app is in it: its build can fail, and then `/app/` answers 503 as on Node. */
  readonly browserApp: EmbeddedBrowserApp['status'];
  /** Every file the bundle was made from (absolute paths), so a cache can tell when it is stale. */
  readonly inputs: readonly string[];
};

/** Bundles the Worker. */
export async function buildWorker(options: { outfile?: string } = {}): Promise<WorkerBundle> {
  // Built (or reused from apps/browser/dist) before bundling, as Node builds it on the first visit.
  const browserApp = await browserAppFiles();
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    // Provided by the runtime under the `nodejs_compat` flag.
    external: ['node:*'],
    plugins: [swaggerAssetsPlugin, browserAppPlugin(browserApp)],
    write: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    ...(options.outfile ? { outfile: options.outfile } : {}),
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('the Worker bundle is empty');
  // esbuild names inputs relative to the working folder; the embedded Swagger UI files are inputs too.
  const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const inputs = [
    ...Object.keys(result.metafile.inputs)
      .filter((input) => !input.includes(':'))
      .map((input) => resolve(input)),
    ...Object.keys(SWAGGER_ASSETS).map((name) => join(swaggerDir, name)),
    // The browser app's sources: an edit of the app makes a kept bundle stale.
    ...browserApp.inputs,
    // This file too: a change of how the bundle is made makes a kept bundle stale.
    fileURLToPath(import.meta.url),
  ];
  return { script: output.text, inputs, browserApp: browserApp.status };
}
