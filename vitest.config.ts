import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/*/src/**/*.test.{ts,tsx}', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Every test file ends by removing the temp folders it made (test/support/temp-dir.ts).
    setupFiles: ['test/support/remove-temp-dirs.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Black-box suites start server processes; two cores are plenty for a few at once.
    maxWorkers: 2,
  },
});
