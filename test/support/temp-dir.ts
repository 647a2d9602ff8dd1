/**
 * The one way tests (and benchmarks) make temporary folders. Each folder is
 * created under the system temp dir with a `clinicsync-` prefix and
 * remembered; `removeTempDirs()` deletes every one of them. The vitest setup
 * file `test/support/remove-temp-dirs.ts` calls it after each test file, and
 * a process exit calls it too, so no run leaves folders behind — some hold
 * signing secrets, sync tokens or patient data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created = new Set<string>();

/** A new empty folder, removed with the others by `removeTempDirs()`. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `clinicsync-${name}-`));
  created.add(dir);
  return dir;
}

/** A path for a file inside a new temp folder (an SQLite store, a database file). */
export function tempFile(name: string, file: string): string {
  return join(tempDir(name), file);
}

/** Removes every folder `tempDir` made and not yet removed (never throws: a folder may already be gone). */
export function removeTempDirs(): void {
  for (const dir of created) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    created.delete(dir);
  }
}

process.once('exit', removeTempDirs);
