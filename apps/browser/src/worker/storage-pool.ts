/**
 * The browser's persistent storage: SQLite WASM with the `opfs-sahpool` VFS,
 * one pool of OPFS files per origin. The pool is exclusive (a second worker
 * fails to open it), so only the leader worker calls `openStoragePool`.
 *
 * Fail closed: when the pool cannot be opened (OPFS missing, locked by
 * another context, quota) this throws `StorageUnavailableError`. The caller
 * shows that the app cannot run; it never falls back to an in-memory
 * database, where everything typed would be lost on close.
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import type { SqliteDatabase } from '@clinicsync/client';
import { wrapSqliteWasm } from './sqlite-wasm-database.ts';

/** The pool could not be opened; `reason` is safe to show (no paths, no data). */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Persistent storage is not available: ${reason}`, options);
    this.reason = reason;
  }
}

export type StoragePool = {
  /** Opens (creating if needed) one database file of the pool, e.g. `/device.sqlite`. */
  open(name: string): Promise<SqliteDatabase>;
  /** The SQLite library version, for the about panel and the bench. */
  readonly sqliteVersion: string;
};

/** The OPFS folder of the pool; changing it would orphan every store. */
const POOL_DIRECTORY = '.clinicsync-store';
/** Slots per database: the file and its rollback journal, with room to spare. */
const SLOTS_PER_DATABASE = 3;

const IN_USE = 'the storage is in use by another window or program';

/** The first error in a chain of causes that names a DOM failure. */
function innermost(error: unknown): unknown {
  let current = error;
  for (let i = 0; i < 5 && current && typeof current === 'object'; i++) {
    const name = (current as { name?: unknown }).name;
    if (typeof name === 'string' && name.endsWith('Error') && name !== 'Error' && name !== 'SQLite3Error')
      return current;
    current = (current as { cause?: unknown }).cause;
  }
  return current ?? error;
}

function describe(error: unknown): string {
  const name = (error as { name?: unknown })?.name;
  if (name === 'NoModificationAllowedError' || name === 'InvalidStateError') return IN_USE;
  if (name === 'QuotaExceededError') return 'the browser has no space left for this site';
  if (name === 'SecurityError' || name === 'NotAllowedError')
    return 'this browser does not allow this site to keep data (private window or site settings)';
  return 'this browser cannot open the origin private file system';
}

export type OpenPoolOptions = {
  /**
   * How long to keep retrying while the pool is in use. A leader that just
   * closed (its tab went away) lets go of its file handles a moment after
   * its lock, so the next leader waits a little before it gives up.
   */
  readonly busyWaitMs?: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Installs the VFS and opens the pool; throws `StorageUnavailableError`. */
export async function openStoragePool(options: OpenPoolOptions = {}): Promise<StoragePool> {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') {
    throw new StorageUnavailableError('this browser has no origin private file system');
  }
  let sqlite3: Awaited<ReturnType<typeof sqlite3InitModule>>;
  try {
    sqlite3 = await sqlite3InitModule();
  } catch (cause) {
    throw new StorageUnavailableError('SQLite could not start in this browser', { cause });
  }
  const deadline = Date.now() + (options.busyWaitMs ?? 8_000);
  let pool: Awaited<ReturnType<typeof sqlite3.installOpfsSAHPoolVfs>>;
  for (;;) {
    try {
      pool = await sqlite3.installOpfsSAHPoolVfs({
        name: 'clinicsync-sahpool',
        directory: POOL_DIRECTORY,
        initialCapacity: 4 * SLOTS_PER_DATABASE,
        preserveOnInitFailure: true,
        // A failed attempt is cached by the library; each retry must really try again.
        forceReinitIfPreviouslyFailed: true,
      } as Parameters<typeof sqlite3.installOpfsSAHPoolVfs>[0]);
      break;
    } catch (cause) {
      const reason = describe(innermost(cause));
      if (reason !== IN_USE || Date.now() > deadline) throw new StorageUnavailableError(reason, { cause });
      await sleep(250);
    }
  }
  const sqliteVersion = sqlite3.version.libVersion;
  return {
    sqliteVersion,
    async open(name) {
      // Every database needs free slots for itself and its journal before SQLite opens it.
      const used = pool.getFileNames().length;
      await pool.reserveMinimumCapacity(used + 2 * SLOTS_PER_DATABASE);
      try {
        return wrapSqliteWasm(new pool.OpfsSAHPoolDb(name));
      } catch (cause) {
        throw new StorageUnavailableError(describe(innermost(cause)), { cause });
      }
    },
  };
}
