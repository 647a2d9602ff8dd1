import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAndKeepWorker, readFreshBundle, writeWorkerBundle } from './worker-bundle-cache.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

function folder(): string {
  return tempDir('bundle');
}

function stats(paths: string[]) {
  return Object.fromEntries(
    paths.map((path) => [path, { size: statSync(path).size, mtimeMs: statSync(path).mtimeMs }]),
  );
}

describe('the Worker bundle cache', () => {
  it('gives the kept bundle while its inputs are as they were, and nothing once one changes', () => {
    const dir = folder();
    const input = join(dir, 'a.ts');
    const other = join(dir, 'b.ts');
    writeFileSync(input, 'export const a = 1;');
    writeFileSync(other, 'export const b = 2;');
    const bundleFile = join(dir, 'dist', 'worker.js');
    writeWorkerBundle(bundleFile, { script: 'bundle text', inputs: [input, other] }, stats([input, other]));
    expect(readFreshBundle(bundleFile)).toBe('bundle text');

    // Same size, later time: an edit that kept the length.
    const later = new Date(statSync(input).mtimeMs + 5_000);
    utimesSync(input, later, later);
    expect(readFreshBundle(bundleFile)).toBeUndefined();
  });

  it('counts an input that is gone, a bundle without manifest and a manifest without bundle as stale', () => {
    const dir = folder();
    const input = join(dir, 'a.ts');
    writeFileSync(input, 'export const a = 1;');
    const bundleFile = join(dir, 'worker.js');
    expect(readFreshBundle(bundleFile)).toBeUndefined();
    writeWorkerBundle(bundleFile, { script: 'bundle text', inputs: [input] }, stats([input]));
    rmSync(bundleFile);
    expect(readFreshBundle(bundleFile)).toBeUndefined();
    writeWorkerBundle(bundleFile, { script: 'bundle text', inputs: [input] }, stats([input]));
    rmSync(input);
    expect(readFreshBundle(bundleFile)).toBeUndefined();
  });

  it('keeps no manifest when an input has no recorded state (it changed while bundling)', () => {
    const dir = folder();
    const input = join(dir, 'a.ts');
    writeFileSync(input, 'export const a = 1;');
    const bundleFile = join(dir, 'worker.js');
    writeWorkerBundle(bundleFile, { script: 'old', inputs: [input] }, stats([input]));
    writeWorkerBundle(bundleFile, { script: 'new', inputs: [input] }, {});
    expect(readFileSync(bundleFile, 'utf8')).toBe('new');
    expect(readFreshBundle(bundleFile)).toBeUndefined();
  });

  it('records the sources and the embedded Swagger UI files of a real bundle', async () => {
    const bundleFile = join(folder(), 'worker.js');
    const script = await buildAndKeepWorker(bundleFile, { mustWrite: true });
    expect(script).toContain('ClinicSyncData');
    expect(readFreshBundle(bundleFile)).toBe(script);
    const inputs = Object.keys(JSON.parse(readFileSync(`${bundleFile}.inputs.json`, 'utf8')).inputs);
    expect(inputs.some((path) => path.endsWith('packages/edge/src/worker/index.ts'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('packages/server/src/app.ts'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('swagger-ui-bundle.js'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('packages/edge/src/build-worker.ts'))).toBe(true);
    // The browser app (`/app/`) is embedded, and an edit of its sources makes the bundle stale.
    expect(inputs.some((path) => path.endsWith('apps/browser/src/page/main.tsx'))).toBe(true);
    expect(inputs.some((path) => path.includes('/apps/desktop/src/'))).toBe(true);
    expect(script).toMatch(/"assets\/sqlite3-[^"]+\.wasm":\s*\{\s*"?type"?:\s*"application\/wasm"/);
  }, 120_000);
});
