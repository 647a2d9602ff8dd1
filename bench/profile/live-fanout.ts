/**
 * Where the server's time goes when one write wakes many connected devices
 * (bench/README.md "Live sync"): the live propagation case of the bench with
 * `devices` connected devices against a server under `node --cpu-prof`, then
 * the profile's summary. `npx tsx bench/profile/live-fanout.ts [devices] [rounds]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIVE_SERVER_ENV, measurePropagation } from '../scenarios/live.ts';
import { startProfiledServer, summarize } from './profiled-server.ts';

const devices = Number(process.argv[2] ?? 200);
const rounds = Number(process.argv[3] ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'clinicsync-live-fanout-'));
try {
  const server = await startProfiledServer({
    dataDir: join(dir, 'data'),
    profileDir: join(dir, 'profile'),
    env: { ...LIVE_SERVER_ENV, CLINICSYNC_REGISTER_MAX_ATTEMPTS: '100000' },
  });
  const run = await measurePropagation({
    writerBase: server.url,
    readerBase: server.url,
    others: devices - 1,
    rounds,
    serverPids: [server.pid],
  });
  console.log(
    `${devices} devices, ${rounds} writes: p50 ${run.stats.p50.toFixed(0)} ms, p99 ${run.stats.p99.toFixed(0)} ms, ${run.failures} not arrived; CPU over the writes: bench ${run.cpu.benchPercent.toFixed(0)} %, server ${run.cpu.serverPercent[0]!.toFixed(0)} % of a core`,
  );
  await summarize(await server.stop(), 45);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
