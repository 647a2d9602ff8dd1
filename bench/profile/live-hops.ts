/**
 * Where the time of one live propagation goes (bench/README.md "Live"):
 * times a lone push and a lone pull round trip on the same server, then
 * writes through engine A and stamps when A's push left, when it was
 * answered, and when B's store had the row, `rounds` times.
 * `npx tsx bench/profile/live-hops.ts [rounds]`
 */
import { randomUUID } from 'node:crypto';
import { openSyncEngine } from '../../packages/client/src/index.ts';
import { startBenchServer } from '../lib/bench-server.ts';
import { createOrganization, insertEvent, newDevice, newSession, pullPage, push } from '../lib/clinic.ts';
import { percentiles } from '../lib/measure.ts';
import { LIVE_SERVER_ENV } from '../scenarios/live.ts';

const rounds = Number(process.argv[2] ?? 20);
const server = await startBenchServer({ env: LIVE_SERVER_ENV });
try {
  const admin = await newSession(server.url);
  const { organizationId } = await createOrganization(admin);
  const pushes: number[] = [];
  const pulls: number[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await push(admin, [
      insertEvent('patients', { organization_id: organizationId, given_name: 'Hop', family_name: String(i) }),
    ]);
    pushes.push(performance.now() - t);
    t = performance.now();
    cursor = (await pullPage(admin, cursor, 1000)).cursor;
    pulls.push(performance.now() - t);
  }
  const stamps: Record<string, number[]> = { pushSent: [], pushAnswered: [], arrived: [] };
  let round: { started: number; id: string } | undefined;
  const spy: typeof fetch = async (input, init) => {
    const isPush = String(input).includes('/v1/sync/push');
    if (isPush && round) stamps.pushSent!.push(performance.now() - round.started);
    const res = await fetch(input, init);
    if (isPush && round) stamps.pushAnswered!.push(performance.now() - round.started);
    return res;
  };
  const deviceA = await newDevice(admin);
  const deviceB = await newDevice(admin);
  const a = await openSyncEngine({
    dbPath: ':memory:',
    serverUrl: server.url,
    deviceId: deviceA.deviceId,
    getSyncToken: () => deviceA.syncToken,
    fetch: spy,
  });
  const b = await openSyncEngine({
    dbPath: ':memory:',
    serverUrl: server.url,
    deviceId: deviceB.deviceId,
    getSyncToken: () => deviceB.syncToken,
  });
  await a.syncNow();
  await b.syncNow();
  a.start();
  b.start();
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < rounds; i++) {
    const id = randomUUID();
    const arrived = new Promise<void>((resolve) => {
      const off = b.subscribe(() => {
        if (b.get('patients', id)) {
          off();
          resolve();
        }
      });
    });
    round = { started: performance.now(), id };
    a.insert('patients', { id, organization_id: organizationId, given_name: 'Hop', family_name: `Live ${i}` });
    await arrived;
    stamps.arrived!.push(performance.now() - round.started);
    round = undefined;
    await new Promise((r) => setTimeout(r, 200));
  }
  await Promise.all([a.close(), b.close()]);
  const show = (name: string, xs: number[]) => {
    const s = percentiles(xs);
    console.log(`${name.padEnd(14)} p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  (n=${s.n})`);
  };
  show('push alone', pushes);
  show('pull alone', pulls);
  for (const [name, xs] of Object.entries(stamps)) show(name, xs);
} finally {
  await server.stop();
}
