/**
 * Starts the Worker under workerd through Miniflare: the same bundle
 * `wrangler deploy` ships, the same bindings as wrangler.toml, and Durable
 * Object storage persisted in a folder. Used by `clinicsync-edge`, the
 * black-box suites (CLINICSYNC_TEST_RUNTIME=edge) and the benchmarks.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import { buildWorker } from './build-worker.ts';

/** The Workers compatibility settings, kept equal to wrangler.toml's (a test compares them). */
export const COMPATIBILITY_DATE = '2026-04-20';
export const COMPATIBILITY_FLAGS = ['nodejs_compat'] as const;

export type EdgeOptions = {
  readonly port: number;
  readonly host: string;
  readonly persistDir: string;
  /** `CLINICSYNC_*` and `LOG_LEVEL` become the Worker's bindings; nothing else of the environment reaches it. */
  readonly env: Readonly<Record<string, string | undefined>>;
};

export type RunningEdge = {
  readonly url: string;
  close(): Promise<void>;
};

export async function startEdge(options: EdgeOptions): Promise<RunningEdge> {
  const persistDir = resolve(options.persistDir);
  mkdirSync(persistDir, { recursive: true, mode: 0o700 });
  const bindings: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.env)) {
    if ((name.startsWith('CLINICSYNC_') || name === 'LOG_LEVEL') && value !== undefined && value !== '') bindings[name] = value;
  }
  const script = await buildWorker();
  const mf = new Miniflare({
    modules: true,
    script,
    // Module names are relative to this root; the bundle is one module, named as it would be on disk.
    modulesRoot: persistDir,
    scriptPath: join(persistDir, 'worker.js'),
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: [...COMPATIBILITY_FLAGS],
    durableObjects: { CLINICSYNC_DATA: { className: 'ClinicSyncData', useSQLite: true } },
    durableObjectsPersist: join(persistDir, 'durable-objects'),
    bindings,
    host: options.host,
    port: options.port,
  });
  const ready = await mf.ready;
  const url = ready.origin;
  let closing: Promise<void> | undefined;
  return { url, close: () => (closing ??= mf.dispose()) };
}
