/**
 * Every temporary folder of a benchmark process lives under one root that is
 * removed when the process ends (normally, or on Ctrl-C): a million-row
 * server file is over 2 GiB, and a few runs would otherwise fill the disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;

/** A fresh folder for one database, store or server of this run. */
export function benchTempDir(name: string): string {
  if (root === undefined) {
    const created = mkdtempSync(join(tmpdir(), 'cs-bench-'));
    root = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  }
  return mkdtempSync(join(root, `${name}-`));
}
