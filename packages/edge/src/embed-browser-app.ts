/**
 * The browser app (`/app/`, PROTOCOL §7) as the Worker bundle embeds it: the
 * same build the Node server serves (apps/browser's `loadBrowserApp`, made
 * on demand and kept per source hash), each file as base64 with its content
 * type. Binary files (the SQLite .wasm, the icons) survive as they are; the
 * Worker decodes them on the first visit (worker/workers-browser-app.ts).
 */
import { browserSourceFiles, loadBrowserApp } from '@clinicsync/browser/build';

/** What `clinicsync:browser-app` exports; null when the app could not be built. */
export type BrowserAppModule = {
  readonly version: string;
  readonly files: Readonly<Record<string, { readonly type: string; readonly base64: string }>>;
} | null;

export type EmbeddedBrowserApp = {
  readonly status: 'embedded' | 'failed';
  readonly module: BrowserAppModule;
  /** The app's source files, inputs of the bundle (worker-bundle-cache.ts). */
  readonly inputs: readonly string[];
};

export async function browserAppFiles(
  log: (line: string) => void = (line) => console.error(line),
): Promise<EmbeddedBrowserApp> {
  const inputs = browserSourceFiles();
  try {
    const bundle = await loadBrowserApp(log);
    const files: Record<string, { type: string; base64: string }> = {};
    for (const [path, file] of bundle.files)
      files[path] = { type: file.type, base64: Buffer.from(file.body).toString('base64') };
    return { status: 'embedded', module: { version: bundle.version, files }, inputs };
  } catch (error) {
    // As on Node: the API runs without it and `/app/` says it is unavailable; the reason is logged here.
    log(`could not build the browser app: ${(error as Error).name}: ${(error as Error).message}`);
    return { status: 'failed', module: null, inputs };
  }
}
