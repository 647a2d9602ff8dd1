/**
 * The UI's built files. On launch the desktop hashes the UI sources; when no
 * build for that hash exists it runs Vite's build (about a second) into
 * `dist/ui/<hash>`, so a clean checkout needs only `npm install && npm start`
 * and an edited source is never served stale. Two desktops starting at once
 * each build into a temporary folder and the first rename wins. The files are
 * then held in memory. The page carries no secret: the browser holds the
 * launch cookie instead (launch-access.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PROTOCOL_SRC = resolve(APP_ROOT, '../../packages/protocol/src');

/** Folders and files whose content decides the UI bundle. */
const SOURCES = [join(APP_ROOT, 'index.html'), join(APP_ROOT, 'src/ui'), join(APP_ROOT, 'src/shared'), PROTOCOL_SRC];

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

export type UiAsset = { readonly body: Buffer; readonly type: string };
export type UiAssets = {
  /** The app's page, as built. */
  readonly page: string;
  /** Everything else by URL path (`/assets/index-abc.js`). */
  readonly files: ReadonlyMap<string, UiAsset>;
  /** True when this launch had to build. */
  readonly built: boolean;
};

function listFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.test.tsx'))
    .flatMap((e) => listFiles(join(path, e.name)))
    .sort();
}

/** A short hash of every UI source file's path and content. */
export function hashUiSources(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(listFiles)) {
    hash.update(relative(APP_ROOT, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function runViteBuild(outDir: string): Promise<void> {
  // Loaded only when a build is needed: Vite is large and most launches reuse a build.
  const [{ build }, { default: react }] = await Promise.all([import('vite'), import('@vitejs/plugin-react')]);
  await build({
    root: APP_ROOT,
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, sourcemap: false, reportCompressedSize: false },
  });
}

/** Builds the UI if its sources changed, then loads it. */
export async function loadUiAssets(log: (line: string) => void): Promise<UiAssets> {
  const buildsDir = join(APP_ROOT, 'dist/ui');
  const hash = hashUiSources();
  const target = join(buildsDir, hash);
  let built = false;
  if (!existsSync(join(target, 'index.html'))) {
    mkdirSync(buildsDir, { recursive: true });
    const temp = join(buildsDir, `.tmp-${process.pid}-${hash}`);
    const started = performance.now();
    await runViteBuild(temp);
    try {
      renameSync(temp, target);
    } catch {
      // Another desktop finished the same build first; its result is identical.
      rmSync(temp, { recursive: true, force: true });
    }
    built = true;
    log(`built the UI in ${Math.round(performance.now() - started)} ms`);
    for (const old of readdirSync(buildsDir)) {
      if (old !== hash && !old.startsWith('.tmp-')) rmSync(join(buildsDir, old), { recursive: true, force: true });
    }
  }

  const files = new Map<string, UiAsset>();
  for (const file of listFiles(target)) {
    const urlPath = `/${relative(target, file).split('\\').join('/')}`;
    if (urlPath === '/index.html') continue;
    files.set(urlPath, { body: readFileSync(file), type: TYPES[extname(file)] ?? 'application/octet-stream' });
  }
  const page = readFileSync(join(target, 'index.html'), 'utf8');
  return { page, files, built };
}
