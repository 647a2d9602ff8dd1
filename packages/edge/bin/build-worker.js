#!/usr/bin/env node
// Writes the Worker bundle to dist/worker.js (the `[build]` step of wrangler.toml), with the manifest that lets
// clinicsync-edge start from it without bundling again (src/worker-bundle-cache.ts).
import { register } from 'tsx/esm/api';

register();
const { buildAndKeepWorker } = await import('../src/worker-bundle-cache.ts');
await buildAndKeepWorker(undefined, { mustWrite: true });
