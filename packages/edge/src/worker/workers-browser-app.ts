/**
 * The browser app (`/app/`, PROTOCOL §7) on the Workers runtime: the build
 * embedded in the bundle (build-worker.ts), served by the same routes as on
 * Node, so the headers (the strict CSP, content types, caching) are the same.
 * Decoded on the first visit, not at every start of the object.
 */
import type { BrowserAppFile, BrowserAppSource } from '@clinicsync/server/core';
import embedded from 'clinicsync:browser-app';

/** Base64 to bytes; a plain loop, several times faster than `Uint8Array.from` with a callback on the 1 MB .wasm. */
function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export const workersBrowserApp: BrowserAppSource = {
  load: async () => {
    // The bundle was made while the app's build failed; as on Node, `/app/` answers 503 and the API runs.
    if (embedded === null) throw new Error('the browser app is not in this Worker bundle');
    const files = new Map<string, BrowserAppFile>();
    for (const [path, file] of Object.entries(embedded.files))
      files.set(path, { type: file.type, body: decode(file.base64) });
    return { version: embedded.version, files };
  },
};
