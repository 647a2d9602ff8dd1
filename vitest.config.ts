import { defineConfig } from 'vitest/config';

/**
 * Four projects (README "Tests"): `unit` — the tests next to the modules,
 * in-process, fast (`npm run test:unit`, `npm run test:watch`); `black-box` —
 * the suites under each package's `test/` that drive real servers and engines
 * over HTTP; `pg` — `*.pg.test.ts`, PostgreSQL-only suites (load, faults,
 * several instances on one database); `e2e` — `*.e2e.test.ts`, journeys in
 * Chromium. `npm test` runs all four.
 */
const PG = '**/*.pg.test.ts';
const E2E = '**/*.e2e.test.ts';

export default defineConfig({
  test: {
    // Every test file ends by removing the temp folders it made (test/support/temp-dir.ts), and fails when it
    // leaves the process changed for the next file in its worker (test/support/process-state-unchanged.ts)…
    setupFiles: ['test/support/remove-temp-dirs.ts', 'test/support/process-state-unchanged.ts'],
    // …and the run fails when a temp folder is left over (test/support/no-temp-dirs-left.ts).
    globalSetup: ['test/support/no-temp-dirs-left.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Black-box suites start server processes; two cores are plenty for a few at once.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Modules are imported once per worker, not once per file: importing, not testing, was most of the time.
          // Safe because nothing here keeps module state (app.ts: "No global state").
          isolate: false,
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.{ts,tsx}'],
          exclude: ['**/node_modules/**', PG, E2E],
        },
      },
      {
        extends: true,
        test: {
          name: 'black-box',
          // A worker runs its files one after another in one module cache, as in `unit`: most of a file's
          // time before its first test went to importing the same support modules (fast-check, pg, the FHIR
          // validators) again. Safe because no test file or support module changes process state another
          // file reads: each suite starts its own servers and folders and stops them in afterAll.
          isolate: false,
          include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', PG, E2E],
        },
      },
      {
        extends: true,
        test: {
          name: 'pg',
          // As in black-box: one module cache per worker.
          isolate: false,
          include: ['packages/*/test/**/*.pg.test.ts', 'apps/*/test/**/*.pg.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['apps/*/test/**/*.e2e.test.ts', 'packages/*/test/**/*.e2e.test.ts'] },
      },
    ],
  },
});
