/**
 * Vitest global setup: every test run gets a temp directory of its own, and
 * the run fails when a `clinicsync-*` folder is still in it at the end — a
 * test made a temp folder without `tempDir` (temp-dir.ts), or a process it
 * started wrote one and nobody removed it. Some hold signing secrets, sync
 * tokens or patient data. The run's own directory keeps concurrent runs on one
 * machine from seeing each other's folders; it is removed at the end, leftovers
 * included, once they are reported.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  // With projects, each project runs the global setup too: the outermost run's directory serves them all.
  if (process.env.CLINICSYNC_TEST_RUN_TEMP) return () => {};
  const systemTemp = tmpdir();
  const runTemp = mkdtempSync(join(systemTemp, 'cs-test-run-'));
  // Passable but not listable by other users: a throwaway PostgreSQL the tests start runs as its own user inside
  // a folder of its own here (scripts/pg.sh); every folder in it is still owner-only (mkdtemp).
  chmodSync(runTemp, 0o711);
  // Read by os.tmpdir() in the workers and in every process the tests start.
  process.env.TMPDIR = runTemp;
  process.env.CLINICSYNC_TEST_RUN_TEMP = runTemp;
  return function teardown() {
    const left = readdirSync(runTemp).filter((name) => name.startsWith('clinicsync-'));
    process.env.TMPDIR = systemTemp;
    delete process.env.CLINICSYNC_TEST_RUN_TEMP;
    rmSync(runTemp, { recursive: true, force: true, maxRetries: 3 });
    if (left.length > 0) {
      // Vitest reports an error thrown here but keeps its exit code: set it, so the run fails.
      process.exitCode = 1;
      throw new Error(
        `The test run left ${left.length} temp folder(s) behind: ${left.slice(0, 10).join(', ')}${left.length > 10 ? ', …' : ''}. Make them with tempDir() from test/support/temp-dir.ts.`,
      );
    }
  };
}
