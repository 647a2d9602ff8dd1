/**
 * Two server instances on one PostgreSQL database under load from many
 * devices, through both instances as a load balancer would spread them.
 * Prints requests/s and checks: errors 0, lost 0, duplicated 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, requirePostgres } from './support/dialects.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { prepareWorkload, runDevice, verifyNothingLost, type Workload } from './support/workload.ts';

const DEVICES = 16;
const SECONDS = 8;

describe.skipIf(!requirePostgres())('two instances under load [postgres]', () => {
  let databaseUrl: string;
  const servers: ServerProcess[] = [];
  let workload: Workload;

  beforeAll(async () => {
    databaseUrl = await freshPostgresDatabase();
    // The first instance migrates; the second starts on the migrated database.
    servers.push(await startServerProcess({ db: databaseUrl, env: { LOG_LEVEL: 'warn' } }));
    servers.push(await startServerProcess({ db: databaseUrl, env: { LOG_LEVEL: 'warn' } }));
    workload = await prepareWorkload(() => servers.map((s) => s.url), DEVICES);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('loses nothing and applies nothing twice', async () => {
    const started = performance.now();
    await Promise.all(workload.devices.map((d) => runDevice(workload, d, Date.now() + SECONDS * 1000)));
    const seconds = (performance.now() - started) / 1000;
    const requests = workload.devices.reduce((n, d) => n + d.stats.requests, 0);
    const errors = workload.devices.reduce((n, d) => n + d.stats.failures, 0);
    const latencies = workload.devices.flatMap((d) => d.stats.latenciesMs).sort((a, b) => a - b);
    const verdict = await verifyNothingLost(databaseUrl, workload);
    console.log(
      `[load] ${DEVICES} devices, 2 instances, ${seconds.toFixed(1)} s: ${requests} pushes (${(requests / seconds).toFixed(0)} req/s), ` +
        `p50 ${latencies[Math.floor(latencies.length / 2)]?.toFixed(0)} ms, p99 ${latencies[Math.floor(latencies.length * 0.99)]?.toFixed(0)} ms, ` +
        `errors ${errors}, acknowledged records ${verdict.acknowledged}, lost ${verdict.lost}, duplicated ${verdict.duplicated}`,
    );
    expect(errors).toBe(0);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(verdict.acknowledged).toBeGreaterThan(DEVICES * 5);
  }, 120_000);
});
