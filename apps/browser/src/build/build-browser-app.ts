/**
 * The browser app's built files, for the sync server to serve at `/app/`
 * (Node only). Like the desktop's UI (apps/desktop/src/server/ui-assets.ts)
 * it is built with Vite on first use and kept per source hash in
 * `apps/browser/dist/<hash>`, so a clean checkout needs only `npm install &&
 * npm start` and an edited source is never served stale. Two servers
 * building at once each build into a temporary folder; the first rename wins.
 *
 * After the build the service worker gets its precache list (every file of
 * the build) and the build's hash as its cache name.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One built file; the same shape as the server's `BrowserAppFile` (packages/server/src/routes/browser-app-routes.ts). */
export type BrowserAppFile = { readonly body: Uint8Array; readonly type: string };
export type BrowserAppBundle = { readonly version: string; readonly files: ReadonlyMap<string, BrowserAppFile> };

const APP_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const REPO = resolve(APP_ROOT, '../..');

/** Everything whose content decides the bundle. */
const SOURCES = [
  join(APP_ROOT, 'index.html'),
  join(APP_ROOT, 'src'),
  join(APP_ROOT, 'public'),
  join(REPO, 'apps/desktop/src'),
  join(REPO, 'packages/protocol/src'),
  join(REPO, 'packages/client/src'),
  join(REPO, 'node_modules/@sqlite.org/sqlite-wasm/package.json'),
];

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
};

const PLACEHOLDER = /(["'`])__CLINICSYNC_PRECACHE__\1/;

function listFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && !/\.test\.tsx?$/.test(e.name) && e.name !== 'build')
    .flatMap((e) => listFiles(join(path, e.name)))
    .sort();
}

/** Every file whose content decides the build (absolute paths); the edge's Worker bundle watches them too. */
export function browserSourceFiles(): string[] {
  return SOURCES.flatMap(listFiles);
}

/** A short hash of every source file's path and content. */
export function hashBrowserSources(): string {
  const hash = createHash('sha256');
  for (const file of browserSourceFiles()) {
    hash.update(relative(REPO, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The engine opens better-sqlite3 only when it is given no database; the
 * browser always gives it one, so that Node-only module is replaced by one
 * that says so instead of being bundled.
 */
function withoutNodeStore() {
  const id = '\0clinicsync-no-node-store';
  return {
    name: 'clinicsync-no-node-store',
    enforce: 'pre' as const,
    resolveId: (source: string) => (source.endsWith('/better-sqlite3-database.ts') ? id : null),
    load: (source: string) =>
      source === id
        ? 'export function openBetterSqlite3() { throw new Error("The browser host opens its own SQLite WASM database."); }'
        : null,
  };
}

async function runViteBuild(outDir: string): Promise<void> {
  // Loaded only when a build is needed: Vite is large and most starts reuse a build.
  const [{ build }, { default: react }] = await Promise.all([import('vite'), import('@vitejs/plugin-react')]);
  await build({
    root: APP_ROOT,
    base: './',
    configFile: false,
    logLevel: 'warn',
    plugins: [react(), withoutNodeStore()],
    // The engine worker imports SQLite WASM, which finds its .wasm through import.meta.url.
    // Worker bundles get their own plugins: the engine worker is where the engine (and its Node-only store) is imported.
    worker: { format: 'es', plugins: () => [withoutNodeStore()] },
    optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
    build: {
      outDir,
      emptyOutDir: true,
      sourcemap: false,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 2048,
      rollupOptions: {
        input: { index: join(APP_ROOT, 'index.html'), sw: join(APP_ROOT, 'src/sw/service-worker.ts') },
        // The service worker keeps a fixed name: the browser checks that URL for updates.
        output: {
          entryFileNames: (chunk: { name: string }) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
        },
      },
    },
  });
}

/** Writes the precache list and version into the built service worker. */
function finishServiceWorker(dir: string, version: string): void {
  const swPath = join(dir, 'sw.js');
  const files = listFiles(dir)
    .map((file) => relative(dir, file).split('\\').join('/'))
    .filter((file) => file !== 'sw.js')
    .map((file) => (file === 'index.html' ? './' : `./${file}`));
  const source = readFileSync(swPath, 'utf8');
  if (!PLACEHOLDER.test(source)) throw new Error('the built service worker has no precache placeholder');
  writeFileSync(swPath, source.replace(PLACEHOLDER, JSON.stringify(JSON.stringify({ version, files }))));
}

/** Builds the app if its sources changed and loads every file into memory. */
export async function loadBrowserApp(log: (line: string) => void): Promise<BrowserAppBundle> {
  const buildsDir = join(APP_ROOT, 'dist');
  const version = hashBrowserSources();
  const target = join(buildsDir, version);
  if (!existsSync(join(target, 'sw.js'))) {
    mkdirSync(buildsDir, { recursive: true });
    const temp = join(buildsDir, `.tmp-${process.pid}-${version}`);
    const started = performance.now();
    await runViteBuild(temp);
    finishServiceWorker(temp, version);
    try {
      renameSync(temp, target);
    } catch {
      // Another server finished the same build first; its result is identical.
      rmSync(temp, { recursive: true, force: true });
    }
    log(`built the browser app in ${Math.round(performance.now() - started)} ms`);
    for (const old of readdirSync(buildsDir)) {
      if (old !== version && !old.startsWith('.tmp-')) rmSync(join(buildsDir, old), { recursive: true, force: true });
    }
  }
  const files = new Map<string, BrowserAppFile>();
  for (const file of listFiles(target)) {
    const path = relative(target, file).split('\\').join('/');
    files.set(path, {
      body: new Uint8Array(readFileSync(file)),
      type: TYPES[extname(file)] ?? 'application/octet-stream',
    });
  }
  return { version, files };
}
