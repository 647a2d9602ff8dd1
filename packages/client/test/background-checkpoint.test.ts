import SQLite from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, expect, it } from 'vitest';
import { tempFile } from '../../../test/support/temp-dir.ts';
import {
  checkpointInBackground,
  startBackgroundCheckpoint,
  type BackgroundCheckpoint,
} from '../src/store/background-checkpoint.ts';

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

const BURST_ROWS = 2000;
const BURSTS = 5;

/** A WAL database that never checkpoints on commit, as the server's request connection and the store's. */
function openRequestConnection(path: string): SQLite.Database {
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('create table t (id integer primary key, body text)');
  return db;
}

/** Writes `BURSTS` bursts with a pause after each; returns the WAL's size at the end. */
async function walAfterBursts(db: SQLite.Database, path: string): Promise<number> {
  const insert = db.prepare('insert into t (body) values (?)');
  const burst = db.transaction(() => {
    for (let i = 0; i < BURST_ROWS; i++) insert.run('x'.repeat(500));
  });
  for (let i = 0; i < BURSTS; i++) {
    burst();
    await new Promise((done) => setTimeout(done, 600));
  }
  return statSync(`${path}-wal`).size;
}

let running: BackgroundCheckpoint | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

it('keeps the WAL to about one burst while the writer never checkpoints', async () => {
  const path = tempFile('checkpoint', 'db.sqlite');
  const db = openRequestConnection(path);
  running = startBackgroundCheckpoint({ path, driver, intervalMs: 100 });
  const burstBytes = BURST_ROWS * 500;
  const wal = await walAfterBursts(db, path);
  db.close();
  // Each burst starts the WAL over once the checkpoint caught up: it never holds the bursts before it.
  expect(wal).toBeLessThan(2.5 * burstBytes);
});

it('the check can fail: without the background checkpoint the WAL holds every burst', async () => {
  const path = tempFile('checkpoint', 'db.sqlite');
  const db = openRequestConnection(path);
  const wal = await walAfterBursts(db, path);
  db.close();
  expect(wal).toBeGreaterThan(BURSTS * BURST_ROWS * 500 * 0.9);
});

it('stop ends the thread after closing its connection, so the last close removes the WAL', async () => {
  const path = tempFile('checkpoint', 'db.sqlite');
  const db = openRequestConnection(path);
  const checkpoint = startBackgroundCheckpoint({ path, driver, intervalMs: 100 });
  db.prepare('insert into t (body) values (?)').run('x');
  await checkpoint.stop();
  await checkpoint.stop();
  db.close();
  expect(existsSync(`${path}-wal`)).toBe(false);
});

it('a worker that cannot open its database ends by itself, and stop still resolves', async () => {
  const checkpoint = startBackgroundCheckpoint({ path: tempFile('checkpoint', 'missing.sqlite'), driver });
  await checkpoint.stop();
});

it('a writer that never pauses still keeps the WAL bounded: it copies the tail the worker left', async () => {
  const path = tempFile('checkpoint', 'db.sqlite');
  const db = openRequestConnection(path);
  running = checkpointInBackground(db, { path, driver, intervalMs: 100 });
  const insert = db.prepare('insert into t (body) values (?)');
  const burst = db.transaction(() => {
    for (let i = 0; i < BURST_ROWS; i++) insert.run('x'.repeat(500));
  });
  // Long enough that "bounded" and "holds everything" cannot be confused: the WAL's high-water mark is set by the
  // longest stretch a checkpoint in the way kept it from starting over (seconds on a loaded machine), not by the
  // length of the run, so it stays a fraction of what was written however slow the disk.
  const bursts = 256;
  for (let i = 0; i < bursts; i++) burst();
  const wal = statSync(`${path}-wal`).size;
  db.close();
  // Without the writer's own threshold the WAL would hold all 256 MB written (the worker never sees a pause).
  expect(wal).toBeGreaterThan(0);
  expect(wal).toBeLessThan(bursts * BURST_ROWS * 500 * 0.4);
});

/** Pages of the WAL not in the database yet: the writer's own PASSIVE pass reports the log and what was copied. */
function framesLeft(writer: SQLite.Database): number {
  const [state] = writer.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
  return state!.log - state!.checkpointed;
}

/** Waits until `done()` holds or `ms` pass; tells which. */
async function eventually(done: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((next) => setTimeout(next, 25));
  return done();
}

function writeBurst(db: SQLite.Database): void {
  const insert = db.prepare('insert into t (body) values (?)');
  db.transaction(() => {
    for (let i = 0; i < BURST_ROWS; i++) insert.run('x'.repeat(500));
  })();
}

it('a bulk series defers the worker: nothing is copied while it lasts, everything once it is over', async () => {
  const path = tempFile('checkpoint', 'db.sqlite');
  const db = openRequestConnection(path);
  const mainBefore = statSync(path).size;
  running = startBackgroundCheckpoint({ path, driver, intervalMs: 50, bulkIntervalMs: 3000 });
  running.bulk();
  // The worker is up and has the message before the write.
  await new Promise((done) => setTimeout(done, 300));
  writeBurst(db);
  await new Promise((done) => setTimeout(done, 400));
  // Several ticks later the worker has left the database file alone.
  expect(statSync(path).size).toBe(mainBefore);
  expect(await eventually(() => statSync(path).size > mainBefore + BURST_ROWS * 500 * 0.9, 10_000)).toBe(true);
  expect(framesLeft(db)).toBe(0);
  db.close();
});

it('the check can fail: without the bulk call the worker copies the same write within a few ticks', async () => {
  const path = tempFile('checkpoint', 'db.sqlite');
  const db = openRequestConnection(path);
  const mainBefore = statSync(path).size;
  running = startBackgroundCheckpoint({ path, driver, intervalMs: 50, bulkIntervalMs: 3000 });
  await new Promise((done) => setTimeout(done, 300));
  writeBurst(db);
  const started = Date.now();
  expect(await eventually(() => statSync(path).size > mainBefore + BURST_ROWS * 500 * 0.9, 10_000)).toBe(true);
  // Well before the bulk interval: the worker's own 50 ms ticks did it (on a loaded machine a tick can be late).
  expect(Date.now() - started).toBeLessThan(2500);
  db.close();
});
