/**
 * The Worker bundle, built once and reused: `clinicsync-edge` starts from the
 * bundle in `dist/` when none of the files it was made from changed since,
 * and bundles again (and keeps the result) when one did. Bundling the server
 * core takes seconds on a busy machine, at every start; comparing a few
 * hundred files' sizes and times takes milliseconds.
 *
 * `dist/worker.js` is also what `wrangler deploy` ships (bin/build-worker.js
 * writes both through `writeWorkerBundle`), so a deploy build refreshes the
 * cache and the cache is the deploy build.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWorker } from './build-worker.ts';

/** Where the bundle lives by default: the file wrangler.toml's `main` names. */
export const DEFAULT_BUNDLE_FILE = fileURLToPath(new URL('../dist/worker.js', import.meta.url));

/** What a cached bundle was made from: each input with its size and modification time. */
type Manifest = { readonly version: 1; readonly inputs: Readonly<Record<string, { size: number; mtimeMs: number }>> };

const manifestFile = (bundleFile: string) => `${bundleFile}.inputs.json`;

/** The cached bundle's text when every input is as it was when it was made; otherwise undefined. */
export function readFreshBundle(bundleFile: string): string | undefined {
  let manifest: Manifest;
  let script: string;
  try {
    manifest = JSON.parse(readFileSync(manifestFile(bundleFile), 'utf8')) as Manifest;
    script = readFileSync(bundleFile, 'utf8');
  } catch {
    return undefined;
  }
  if (manifest.version !== 1 || typeof manifest.inputs !== 'object' || manifest.inputs === null) return undefined;
  const inputs = Object.entries(manifest.inputs);
  if (inputs.length === 0) return undefined;
  for (const [path, seen] of inputs) {
    try {
      const now = statSync(path);
      if (now.size !== seen.size || now.mtimeMs !== seen.mtimeMs) return undefined;
    } catch {
      return undefined;
    }
  }
  return script;
}

/**
 * Writes the bundle and its manifest. Each file is written beside itself and
 * renamed into place, so a start running at the same moment reads either the
 * old pair or the new one, never half a file; the old manifest goes first
 * and the new one last. Without a size and time for every input (one changed
 * while bundling) no manifest is kept, so the next start bundles again.
 */
export function writeWorkerBundle(
  bundleFile: string,
  bundle: { readonly script: string; readonly inputs: readonly string[] },
  inputStats: Manifest['inputs'],
): void {
  mkdirSync(dirname(bundleFile), { recursive: true });
  rmSync(manifestFile(bundleFile), { force: true });
  const suffix = `.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(`${bundleFile}${suffix}`, bundle.script);
  renameSync(`${bundleFile}${suffix}`, bundleFile);
  const inputs: Record<string, { size: number; mtimeMs: number }> = {};
  for (const path of bundle.inputs) {
    const seen = inputStats[path];
    if (!seen) return;
    inputs[path] = seen;
  }
  const manifest: Manifest = { version: 1, inputs };
  writeFileSync(`${manifestFile(bundleFile)}${suffix}`, JSON.stringify(manifest));
  renameSync(`${manifestFile(bundleFile)}${suffix}`, manifestFile(bundleFile));
}

/** Sizes and modification times of files that exist. */
function statInputs(paths: Iterable<string>): Record<string, { size: number; mtimeMs: number }> {
  const seen: Record<string, { size: number; mtimeMs: number }> = {};
  for (const path of paths) {
    try {
      const { size, mtimeMs } = statSync(path);
      seen[path] = { size, mtimeMs };
    } catch {
      // gone: not an input any more
    }
  }
  return seen;
}

/**
 * Bundles, then writes the bundle and its manifest: the deploy build
 * (bin/build-worker.js, where a failed write fails the build) and a start
 * whose cache is stale (where it does not: a read-only install still runs,
 * bundling at each start).
 */
export async function buildAndKeepWorker(
  bundleFile: string = DEFAULT_BUNDLE_FILE,
  options: { readonly mustWrite?: boolean } = {},
): Promise<string> {
  const started = Date.now();
  const bundle = await buildWorker({ outfile: bundleFile });
  // A deploy without the browser app would ship a server whose `/app/` never works; a local start runs without it.
  if (bundle.browserApp === 'failed' && options.mustWrite) throw new Error('the browser app could not be built');
  // An input changed after `started` may not be in this bundle as it is now: no manifest, so the next start bundles again.
  const stats = statInputs(bundle.inputs);
  // Without the browser app the bundle is not kept as fresh: the next start tries the build again, as Node does.
  if (bundle.browserApp === 'failed') for (const path of Object.keys(stats)) delete stats[path];
  for (const [path, seen] of Object.entries(stats)) if (seen.mtimeMs >= started) delete stats[path];
  try {
    writeWorkerBundle(bundleFile, bundle, stats);
  } catch (error) {
    if (options.mustWrite) throw error;
  }
  return bundle.script;
}

/** The Worker bundle for a start: the cached one when fresh, else a new one (kept for the next start). */
export async function loadWorkerBundle(bundleFile: string = DEFAULT_BUNDLE_FILE): Promise<string> {
  return readFreshBundle(bundleFile) ?? (await buildAndKeepWorker(bundleFile));
}
