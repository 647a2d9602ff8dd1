/**
 * Where the server's time goes when one write wakes many connected devices
 * (bench/README.md "Live sync"): the live propagation case of the bench with
 * `devices` connected devices against a server under `node --cpu-prof`, then
 * the profile's summary. `npx tsx bench/profile/live-fanout.ts [devices] [rounds] [postgres://…]`:
 * with a database URL, two instances on it (A on the first, B on the second,
 * the other devices split), each profiled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresDatabase } from '../../packages/server/test/support/dialects.ts';
import { LIVE_SERVER_ENV, measurePropagation } from '../scenarios/live.ts';
import { startProfiledServer, summarize } from './profiled-server.ts';

const devices = Number(process.argv[2] ?? 200);
const rounds = Number(process.argv[3] ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'clinicsync-live-fanout-'));
try {
  const db = process.argv[4] ? await freshPostgresDatabase() : undefined;
  const servers = await Promise.all(
    (db ? [1, 2] : [1]).map((n) =>
      startProfiledServer({
        dataDir: join(dir, `data-${n}`),
        profileDir: join(dir, `profile-${n}`),
        ...(db ? { db } : {}),
        env: { ...LIVE_SERVER_ENV, CLINICSYNC_REGISTER_MAX_ATTEMPTS: '100000' },
      }),
    ),
  );
  const run = await measurePropagation({
    writerBase: servers[0]!.url,
    readerBase: servers.at(-1)!.url,
    others: devices - 1,
    rounds,
    serverPids: servers.map((s) => s.pid),
  });
  console.log(
    `${devices} devices, ${rounds} writes: p50 ${run.stats.p50.toFixed(0)} ms, p99 ${run.stats.p99.toFixed(0)} ms, ${run.failures} not arrived; CPU over the writes: engines ${run.cpu.benchPercent.toFixed(0)} %, other devices ${run.cpu.devicesPercent.toFixed(0)} %, servers ${run.cpu.serverPercent.map((p) => p.toFixed(0)).join(' + ')} % of a core`,
  );
  for (const server of servers) await summarize(await server.stop(), 45);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
