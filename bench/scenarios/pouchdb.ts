/**
 * The peer: the same patient documents written to a local PouchDB (LevelDB)
 * and replicated to a local pouchdb-server over HTTP, as an offline-first
 * PouchDB app would sync. Measures documents per second of the replication.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { perSecond, timed } from '../lib/measure.ts';
import { chunk, type PatientRow } from '../lib/rows.ts';
import { requirePeers } from '../lib/peers.ts';
import { benchTempDir } from '../lib/temp.ts';

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pouchdb-server did not start at ${url}`);
}

export async function pouchReplicationRate(rows: readonly PatientRow[]): Promise<number> {
  const require = requirePeers();
  const dir = benchTempDir('pouch');
  const port = await freePort();
  const bin = require.resolve('pouchdb-server/bin/pouchdb-server');
  const server = spawn(
    process.execPath,
    [bin, '--port', String(port), '--dir', join(dir, 'server'), '--host', '127.0.0.1', '--no-stdout-logs'],
    {
      cwd: dir,
      stdio: 'ignore',
    },
  );
  try {
    await waitFor(`http://127.0.0.1:${port}/`);
    const PouchDB = require('pouchdb');
    const local = new PouchDB(join(dir, 'local'));
    for (const items of chunk(rows, 500)) await local.bulkDocs(items.map(({ id, ...rest }) => ({ _id: id, ...rest })));
    const remoteUrl = `http://127.0.0.1:${port}/patients`;
    const { ms } = await timed(() => local.replicate.to(remoteUrl, { batch_size: 500 }));
    await local.close();
    return perSecond(rows.length, ms);
  } finally {
    server.kill('SIGTERM');
  }
}
