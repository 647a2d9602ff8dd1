/**
 * Bulk writes into a store file opened as the engine opens it (background
 * checkpoint thread, no checkpoint in commits) against the same store whose
 * own connection also checkpoints on commit (`wal_autocheckpoint = 1000`):
 * 100 transactions of 1,000 rows with four secondary indexes, as a first
 * sync's pages. Prints rows/s and the WAL's size at the end.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openBetterSqlite3 } from '../../packages/client/src/store/better-sqlite3-database.ts';
import { benchTempDir } from '../lib/temp.ts';

for (const mode of ['background', 'on-commit', 'background', 'on-commit']) {
  const path = join(benchTempDir('store-ckpt'), 'local.sqlite');
  const db = openBetterSqlite3(path);
  if (mode === 'on-commit') db.exec('PRAGMA wal_autocheckpoint = 1000');
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT, c TEXT, d TEXT, body TEXT) WITHOUT ROWID');
  for (const column of ['a', 'b', 'c', 'd']) db.exec(`CREATE INDEX t_${column} ON t (${column})`);
  const started = performance.now();
  let maxWal = 0;
  for (let page = 0; page < 100; page++) {
    db.transaction(() => {
      for (let i = 0; i < 1000; i++)
        db.run('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)', [
          randomUUID(),
          randomUUID(),
          randomUUID(),
          randomUUID(),
          randomUUID(),
          'x'.repeat(300),
        ]);
    });
    maxWal = Math.max(maxWal, statSync(`${path}-wal`).size);
    await new Promise((done) => setTimeout(done, 5));
  }
  const ms = performance.now() - started;
  console.log(`${mode}: ${Math.round(100_000 / (ms / 1000))} rows/s, WAL peak ${(maxWal / 2 ** 20).toFixed(1)} MiB`);
  await db.close();
}
