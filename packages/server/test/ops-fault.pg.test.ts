/**
 * Faults under load: an instance is killed with SIGKILL mid-push and replaced,
 * then PostgreSQL itself restarts. Devices keep re-sending unacknowledged
 * events (same eventIds). Afterwards nothing acknowledged is lost and
 * nothing is applied twice. Runs on a PostgreSQL cluster of its own so the
 * restart does not disturb other suites.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePostgres } from './support/dialects.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { prepareWorkload, runDevice, verifyNothingLost, type Workload } from './support/workload.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

const PG_SCRIPT = fileURLToPath(new URL('../../../scripts/pg.sh', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

describe.skipIf(!requirePostgres())('faults: instance killed mid-push, PostgreSQL restarted [postgres]', () => {
  let pgEnv: NodeJS.ProcessEnv;
  let pgDir: string;
  let databaseUrl: string;
  const servers: ServerProcess[] = [];
  let workload: Workload;
  const pgctl = (command: string) =>
    execFileSync('bash', [PG_SCRIPT, command], { env: pgEnv, encoding: 'utf8' }).trim();

  beforeAll(async () => {
    pgDir = tempDir('fault-pg');
    pgEnv = { ...process.env, PGDIR: pgDir, PGPORT: String(await freePort()) };
    const base = pgctl('start');
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query('create database fault_test');
    await admin.end();
    databaseUrl = base.replace(/\/postgres$/, '/fault_test');
    servers.push(await startServerProcess({ db: databaseUrl, env: { LOG_LEVEL: 'warn' } }));
    servers.push(await startServerProcess({ db: databaseUrl, env: { LOG_LEVEL: 'warn' } }));
    workload = await prepareWorkload(
      () => servers.filter((s) => s.child.exitCode === null && s.child.signalCode === null).map((s) => s.url),
      8,
    );
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    if (process.env.CLINICSYNC_DEBUG_FAULT)
      for (const s of servers)
        console.log(
          s
            .output()
            .split('\n')
            .filter((l) => !l.includes('"status":200'))
            .slice(-40)
            .join('\n'),
        );
    try {
      pgctl('stop');
    } finally {
      rmSync(pgDir, { recursive: true, force: true });
    }
  });

  it('loses nothing acknowledged and applies nothing twice', async () => {
    const until = Date.now() + 9_000;
    const load = Promise.all(workload.devices.map((d) => runDevice(workload, d, until)));

    await new Promise((r) => setTimeout(r, 2_000));
    await servers[0]!.kill(); // SIGKILL with pushes in flight
    servers.push(await startServerProcess({ db: databaseUrl, env: { LOG_LEVEL: 'warn' } }));

    await new Promise((r) => setTimeout(r, 2_000));
    pgctl('restart');

    await load;
    const requests = workload.devices.reduce((n, d) => n + d.stats.requests, 0);
    const retried = workload.devices.reduce((n, d) => n + d.stats.failures, 0);
    const verdict = await verifyNothingLost(databaseUrl, workload);
    console.log(
      `[fault] ${requests} pushes, ${retried} failed and retried, acknowledged records ${verdict.acknowledged}, ` +
        `lost ${verdict.lost}, duplicated ${verdict.duplicated}, unexpected ${verdict.unexpected}`,
    );
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(retried).toBeGreaterThan(0); // the faults really hit in-flight requests
  }, 180_000);
});
