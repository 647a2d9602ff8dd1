/**
 * WAL checkpoints off the request path, for every SQLite database ClinicSync
 * opens on Node: the server's database and the desktop's local store. By
 * default SQLite checkpoints inside the commit that crosses 1,000 WAL pages,
 * so every so often one push (or one applied pull page) pays for copying the
 * whole WAL into the database, and its latency grows with the database.
 * Here a worker thread with its own connection runs PASSIVE checkpoints on a
 * short timer. PASSIVE never waits for, or blocks, a writer or a reader: it
 * copies what it can. But only a writer starting after a checkpoint that
 * copied everything restarts the WAL from its beginning, and a writer that
 * never pauses for a whole interval (a push stream, a first sync's pages)
 * never meets one: with the writer not checkpointing at all, the WAL of
 * 100,000 store rows grew to 1.8 GiB and every write slowed with it
 * (bench/profile/store-checkpoint-exp.ts). So the writing connection keeps
 * an automatic checkpoint, at `WRITER_CHECKPOINT_PAGES` instead of SQLite's
 * 1,000 (`checkpointInBackground`): when it fires, the worker has already
 * copied nearly all of the WAL, so the commit pays only for the short tail,
 * and the next write starts the WAL over.
 *
 * Why this file lives in @clinicsync/client and the server imports it: the
 * client package already holds the Node SQLite code (the store opener, the
 * cipher), the server already depends on workspace packages, and the other
 * way round the desktop would depend on the whole server. It is Node-only and
 * excluded from the client's portable core (packages/client/tsconfig.json),
 * which never imports it.
 *
 * The thread is plain JavaScript evaluated in the worker, so it needs no build
 * step. It loads the driver the caller names (the plain or the encryption
 * build) and runs the caller's setup pragmas first: for an encrypted store
 * those carry the key, which reaches the worker as in-memory worker data only,
 * never through a file, an argument list or a log.
 */
import { Worker } from 'node:worker_threads';

export type BackgroundCheckpoint = {
  /**
   * The writer is in a series of bulk transactions (`TransactionOptions.bulk`):
   * until `BULK_INTERVAL_MS` after the last call, the worker checkpoints only
   * every `BULK_INTERVAL_MS`, so index pages that every transaction rewrites
   * are copied once per interval instead of once per transaction or two.
   */
  bulk(): void;
  /** Stops the timer, runs one last checkpoint, closes the worker's connection and waits for the thread to end. */
  stop(): Promise<void>;
};

/** How long a bulk series slows the worker down for after its last transaction, and its interval meanwhile. */
export const BULK_INTERVAL_MS = 2000;

export type BackgroundCheckpointOptions = {
  /** The database file, already in WAL mode. */
  readonly path: string;
  /** The driver module's resolved path (better-sqlite3 or its encryption build), the same the writer uses. */
  readonly driver: string;
  /** Pragmas run on the worker's connection before anything else (the cipher and key of an encrypted store). */
  readonly setup?: readonly string[];
  /** Time between checkpoints (default 250 ms). */
  readonly intervalMs?: number;
  /** Time between checkpoints during a bulk series, and how long it lasts after its last transaction (default `BULK_INTERVAL_MS`). */
  readonly bulkIntervalMs?: number;
};

/** The writer's own checkpoint threshold, in WAL pages: 16 MiB with 4 KiB pages, only reached by a writer that never pauses. */
export const WRITER_CHECKPOINT_PAGES = 4096;

/**
 * What the WAL file is cut back to when a writer starts it over, in bytes
 * (SQLite's `journal_size_limit`): the writer's threshold. SQLite otherwise
 * keeps the file at its largest, so the 64 MiB a first sync's bulk
 * transactions let it reach (`BULK_CHECKPOINT_PAGES`), or a long stall
 * behind a reader, stayed on the disk for good.
 */
export const WAL_KEPT_BYTES = WRITER_CHECKPOINT_PAGES * 4096;

/**
 * The writer's threshold during a bulk transaction (a first sync's pages,
 * `TransactionOptions.bulk`): 64 MiB. Each 1,000-row page of a first sync
 * rewrites most leaves of the primary-key index (random ids), about 800 WAL
 * pages, so at 4,096 the commit of about every fifth page checkpointed, and
 * copied those leaves again each time; an encrypted store decrypts and
 * encrypts every copied page (bench/README.md).
 */
export const BULK_CHECKPOINT_PAGES = 16_384;

/** The writing connection as both drivers expose it. */
type PragmaConnection = { pragma(source: string): unknown };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
for (const pragma of workerData.setup) db.pragma(pragma);
workerData.setup = [];
db.pragma('busy_timeout = 50');
let last = Date.now();
let bulkUntil = 0;
const checkpoint = () => {
  last = Date.now();
  // SQLITE_BUSY (a writer holds the lock beyond busy_timeout) is expected: the next tick copies what is left.
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
};
const tick = () => {
  if (Date.now() < bulkUntil && Date.now() - last < workerData.bulkIntervalMs) return;
  checkpoint();
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'bulk') bulkUntil = Date.now() + workerData.bulkIntervalMs;
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** Starts checkpointing `options.path` in a worker thread. */
export function startBackgroundCheckpoint(options: BackgroundCheckpointOptions): BackgroundCheckpoint {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: options.driver,
      path: options.path,
      setup: [...(options.setup ?? [])],
      intervalMs: options.intervalMs ?? 250,
      bulkIntervalMs: options.bulkIntervalMs ?? BULK_INTERVAL_MS,
    },
  });
  let exited = false;
  const exit = new Promise<void>((done) =>
    worker.once('exit', () => {
      exited = true;
      done();
    }),
  );
  // A failed checkpointer must not take the process down, and loses nothing: the writing connection's own
  // checkpoint (`WRITER_CHECKPOINT_PAGES`) still bounds the WAL, at the cost of a slower commit now and then.
  worker.on('error', () => {});
  worker.unref();
  let stopped: Promise<void> | undefined;
  return {
    bulk() {
      if (!exited && !stopped) worker.postMessage('bulk');
    },
    stop() {
      stopped ??= (async () => {
        if (exited) return;
        worker.postMessage('stop');
        // A worker stuck on a lock is not waited for long: it is terminated.
        const stuck = setTimeout(() => void worker.terminate(), 2000);
        await exit;
        clearTimeout(stuck);
      })();
      return stopped;
    },
  };
}

/**
 * The rule for a file database: a worker checkpoints it, and its writing
 * connection `db` checkpoints on commit only past `WRITER_CHECKPOINT_PAGES`,
 * copying what the worker left, and cuts the WAL file back to
 * `WAL_KEPT_BYTES` whenever it starts it over. Call after `journal_mode = WAL`; `stop()`
 * before closing `db`.
 */
export function checkpointInBackground(
  db: PragmaConnection,
  options: BackgroundCheckpointOptions,
): BackgroundCheckpoint {
  db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${WAL_KEPT_BYTES}`);
  return startBackgroundCheckpoint(options);
}
