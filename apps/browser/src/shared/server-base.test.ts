import { describe, expect, it } from 'vitest';
import { serverBaseOf } from './server-base.ts';

describe('serverBaseOf', () => {
  it.each([
    ['http://127.0.0.1:8787/app/assets/engine-worker-D2vc2NF4.js', 'http://127.0.0.1:8787'],
    ['http://127.0.0.1:8787/app/', 'http://127.0.0.1:8787'],
    ['https://intranet.example/clinicsync/app/assets/engine-worker-D2vc2NF4.js', 'https://intranet.example/clinicsync'],
    ['https://intranet.example/clinicsync/app/#/patients', 'https://intranet.example/clinicsync'],
    // A proxy path that itself holds `app`: the app's own folder is the last one.
    ['https://intranet.example/app/clinic/app/assets/x.js', 'https://intranet.example/app/clinic'],
    // Vite's dev server serves the sources at the root.
    ['http://localhost:5173/src/worker/engine-worker.ts', 'http://localhost:5173'],
  ])('finds the server of %s under the path a proxy gives it', (file, base) => {
    expect(serverBaseOf(file)).toBe(base);
  });
});
