/**
 * WAL checkpoints off the request path (SQLite). By default SQLite
 * checkpoints inside the commit that crosses 1,000 WAL pages, so every so
 * often one push pays for copying the whole WAL into the database, and that
 * push's latency grows with the database. Here the request connection never
 * checkpoints (`wal_autocheckpoint = 0`); a worker thread with its own
 * connection runs PASSIVE checkpoints on a short timer instead. PASSIVE never
 * waits for, or blocks, a writer or a reader: it copies what it can, and the
 * WAL restarts from its beginning once a checkpoint caught up with no reader
 * in the way. The thread is plain JavaScript evaluated in the worker, so it
 * needs no build step, and it loads the same driver file as the server.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export type BackgroundCheckpoint = {
  /** Stops the timer, runs one last checkpoint and closes the worker's connection. */
  stop(): Promise<void>;
};

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 50');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
`;

/** Starts checkpointing `path` (an open WAL database) every `intervalMs`. */
export function startBackgroundCheckpoint(path: string, intervalMs = 250): BackgroundCheckpoint {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, intervalMs } });
  // A failed checkpointer must not take the server down: the WAL then grows until the next start checkpoints it.
  worker.on('error', () => {});
  worker.unref();
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((done) => {
        const finish = () => {
          void worker.terminate().then(() => done());
        };
        worker.once('message', finish);
        worker.once('exit', () => done());
        worker.postMessage('stop');
        // A worker stuck on a lock is not waited for at shutdown.
        setTimeout(finish, 2000).unref();
      });
      return stopped;
    },
  };
}
