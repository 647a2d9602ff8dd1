/**
 * Encrypts an unencrypted local store in place, losing nothing (PROTOCOL §9):
 * every table, the outbox, conflicts, dead letters, drafts, the sync cursor
 * and the store's `user_version` come along, because the copy is SQLite's
 * own `VACUUM INTO` of the whole database.
 *
 * Crash safety: the unencrypted file is never written to. The encrypted copy
 * is built beside it (`<store>.encrypting`), checked against the original
 * (row counts of every table, schema version) and only then renamed over it
 * in one atomic step. A process killed at any point leaves either the
 * original (the next open starts the migration again from scratch, removing
 * a half-built copy) or the finished encrypted store. The WAL of the
 * original is checkpointed into it first and removed before the rename, so
 * a stale WAL is never replayed over the encrypted file.
 *
 * What it cannot do: the blocks of the old file are freed, not overwritten,
 * by the file system; docs/security.md says what that means.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  applyStoreKey,
  encryptOpenDatabase,
  storeFileState,
  type CipherDatabase,
  type StoreKey,
} from './store-cipher.ts';

/** The steps, in order; a test hook may interrupt after any of them. */
export const MIGRATION_STEPS = ['copied', 'encrypted', 'verified', 'swapped'] as const;
export type MigrationStep = (typeof MIGRATION_STEPS)[number];

export type EncryptStoreOptions = {
  /** Called after each step (tests throw here to interrupt the migration). */
  readonly afterStep?: (step: MigrationStep) => void;
};

/** The half-built encrypted copy of `path`. */
export const encryptingPath = (path: string) => `${path}.encrypting`;

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeWithSideFiles(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/** Row count of every table, and the schema version, of one connection. */
function fingerprint(db: CipherDatabase): Record<string, number> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
  const counts: Record<string, number> = { '(user_version)': db.pragma('user_version', { simple: true }) as number };
  for (const table of tables)
    counts[table] = db
      .prepare(`SELECT count(*) FROM "${table.replace(/"/g, '""')}"`)
      .pluck()
      .get() as number;
  return counts;
}

/**
 * Encrypts the unencrypted store at `path` with `key`, in place (see above).
 * Does nothing when the file is already encrypted or absent, so it is safe to
 * call at every open; a leftover half-built copy is removed either way.
 */
export function encryptStoreFile(path: string, key: StoreKey, options: EncryptStoreOptions = {}): void {
  const temp = encryptingPath(path);
  // A copy left by an interrupted run may be incomplete: always start again from the untouched original.
  removeWithSideFiles(temp);
  if (storeFileState(path) !== 'plaintext') return;
  const step = options.afterStep ?? (() => {});

  const source = new Database(path, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    const [checkpoint] = source.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (checkpoint && checkpoint.busy !== 0)
      throw new Error('The local store is in use by another process; it was not encrypted.');
    const expected = fingerprint(source);
    // VACUUM INTO accepts an empty file: created here owner-only, so the copy never exists world-readable.
    closeSync(openSync(temp, 'w', 0o600));
    source.prepare('VACUUM INTO ?').run(temp);
    step('copied');

    const copy = new Database(temp, { fileMustExist: true });
    try {
      // VACUUM INTO writes a rollback-journal database, which is what rekey needs.
      copy.pragma('journal_mode = DELETE');
      encryptOpenDatabase(copy, key);
    } finally {
      copy.close();
    }
    step('encrypted');

    const check = new Database(temp, { fileMustExist: true });
    try {
      applyStoreKey(check, key);
      const integrity = check.pragma('quick_check', { simple: true });
      const actual = fingerprint(check);
      if (integrity !== 'ok' || JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error('The encrypted copy of the local store does not match the original; the original was kept.');
      }
    } finally {
      check.close();
    }
    step('verified');
  } catch (error) {
    source.close();
    removeWithSideFiles(temp);
    throw error;
  }
  source.close();
  // The original's WAL was checkpointed and is empty; it must not outlive the file it belongs to.
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  fsyncPath(temp);
  renameSync(temp, path);
  fsyncPath(dirname(path));
  step('swapped');
}
