#!/usr/bin/env node
// Writes the Worker bundle to dist/worker.js (the `[build]` step of wrangler.toml).
import { register } from 'tsx/esm/api';
import { mkdir, writeFile } from 'node:fs/promises';

register();
const { buildWorker } = await import('../src/build-worker.ts');
const outfile = new URL('../dist/worker.js', import.meta.url);
await mkdir(new URL('../dist/', import.meta.url), { recursive: true });
await writeFile(outfile, await buildWorker({ outfile: outfile.pathname }));
