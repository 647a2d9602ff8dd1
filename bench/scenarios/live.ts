/**
 * Live sync (PROTOCOL §4 "Live"): how long a write on device A takes to be a
 * row in device B's store, both real sync engines with default options,
 * started, while N other devices of the organization hold waiting pulls as
 * engines do (and are woken by every write too); and what idle connected
 * devices cost the server: its CPU time and resident memory while they wait.
 *
 * The N other devices are plain waiting-pull loops (the engine's request,
 * without a local store each), so the bench does not need hundreds of
 * stores; for the server they are the same requests. They run in a process
 * of their own (bench/child/connected-devices.ts): in the bench's event loop
 * engine B would wait behind all their answers, which no real device does.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openSyncEngine, type SyncEngine } from '../../packages/client/src/index.ts';
import { createOrganization, newDevice, newSession, pullPage, type Session } from '../lib/clinic.ts';
import { percentiles, processMemoryMiB, type Stats } from '../lib/measure.ts';

/** Server settings for these scenarios: one person's many bench devices may all wait. */
export const LIVE_SERVER_ENV = { CLINICSYNC_MAX_WAITING_PULLS_PER_USER: '100000' };

export type Propagation = {
  readonly stats: Stats;
  readonly failures: number;
  /** CPU over the writes (not the set-up), % of one core: this process (engines A and B), the connected devices' process, the servers. */
  readonly cpu: {
    readonly benchPercent: number;
    readonly devicesPercent: number;
    readonly serverPercent: readonly number[];
  };
};

/** The number of waiting pulls `base` holds now (its /metrics gauge). */
export async function waitingPulls(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^clinicsync_waiting_pulls (\d+)/m.exec(text)?.[1] ?? NaN);
}

async function until(what: string, check: () => Promise<boolean>, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function pullToEnd(device: Session): Promise<string> {
  let cursor: string | null = null;
  for (;;) {
    const page = await pullPage(device, cursor, 1000);
    cursor = page.cursor;
    if (!page.hasMore) return cursor;
  }
}

/** The other connected devices, waiting in a process of their own (bench/child/connected-devices.ts). */
type ConnectedDevices = { readonly pid: number | undefined; stop(): Promise<void> };

/** Starts `count` connected devices of `session`'s user spread over `bases`; resolves once each holds a waiting pull. */
async function connectDevices(session: Session, bases: readonly string[], count: number): Promise<ConnectedDevices> {
  if (count === 0) return { pid: undefined, stop: async () => {} };
  const before = await Promise.all(bases.map(waitingPulls));
  const devices: { base: string; deviceId: string; syncToken: string; cursor: string }[] = [];
  // Sign-ins hash a password each, and an account's sign-ins from new devices count as attempts until their password
  // is checked (5 free per account and address, docs/security.md): a few at a time.
  const AT_ONCE = 4;
  for (let i = 0; i < count; i += AT_ONCE) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(AT_ONCE, count - i) }, async (_, j) => {
        const device = await newDevice(session, bases[(i + j) % bases.length]!);
        return {
          base: device.base,
          deviceId: device.deviceId,
          syncToken: device.syncToken,
          cursor: await pullToEnd(device),
        };
      }),
    );
    devices.push(...batch);
  }
  const script = fileURLToPath(new URL('../child/connected-devices.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.stdin!.end(JSON.stringify(devices));
  await until(`${count} devices wait`, async () => {
    const now = await Promise.all(bases.map(waitingPulls));
    return now.reduce((s, n, k) => s + n - before[k]!, 0) >= count;
  });
  return {
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function startedEngine(device: Session): Promise<SyncEngine> {
  const engine = await openSyncEngine({
    dbPath: ':memory:',
    serverUrl: device.base,
    deviceId: device.deviceId,
    getSyncToken: () => device.syncToken,
  });
  await engine.syncNow();
  engine.start();
  return engine;
}

/** Resolves with the time `engine`'s store first holds `id` (checked on every status change: a pulled page is one). */
function arrival(engine: SyncEngine, id: string, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const done = (at: number | undefined) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(at);
    };
    const unsubscribe = engine.subscribe(() => {
      if (engine.get('patients', id)) done(performance.now());
    });
    const timer = setTimeout(() => done(undefined), timeoutMs);
  });
}

/**
 * Write on A (`writerBase`), wait for the row in B (`readerBase`), `rounds`
 * times, with `others` connected devices spread over both instances.
 */
export async function measurePropagation(input: {
  readonly writerBase: string;
  readonly readerBase: string;
  readonly others: number;
  readonly rounds: number;
  /** Server processes whose CPU over the writes is reported (Linux /proc). */
  readonly serverPids?: readonly number[];
}): Promise<Propagation> {
  const admin = await newSession(input.writerBase);
  const { organizationId } = await createOrganization(admin);
  const bases = [...new Set([input.writerBase, input.readerBase])];
  const others = await connectDevices(admin, bases, input.others);
  const a = await startedEngine(await newDevice(admin, input.writerBase));
  const b = await startedEngine(await newDevice(admin, input.readerBase));
  const samples: number[] = [];
  let failures = 0;
  const pids = input.serverPids ?? [];
  let cpu: Propagation['cpu'] = { benchPercent: NaN, devicesPercent: NaN, serverPercent: pids.map(() => NaN) };
  try {
    await until(
      'A and B wait live',
      async () => (await Promise.all(bases.map(waitingPulls))).reduce((sum, n) => sum + n, 0) >= input.others + 2,
    );
    const startedAt = performance.now();
    const benchBefore = process.cpuUsage();
    const serversBefore = pids.map(cpuSeconds);
    const devicesCpu = () => (others.pid === undefined ? 0 : cpuSeconds(others.pid));
    const devicesBefore = devicesCpu();
    for (let round = 0; round < input.rounds; round++) {
      const id = randomUUID();
      const arrived = arrival(b, id, 10_000);
      const started = performance.now();
      a.insert('patients', { id, organization_id: organizationId, given_name: 'Live', family_name: `Round ${round}` });
      const at = await arrived;
      if (at === undefined) failures += 1;
      else samples.push(at - started);
      // Let every device's next waiting pull settle before the next write.
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 100));
    }
    const seconds = (performance.now() - startedAt) / 1000;
    const bench = process.cpuUsage(benchBefore);
    cpu = {
      benchPercent: ((bench.user + bench.system) / 1e6 / seconds) * 100,
      devicesPercent: ((devicesCpu() - devicesBefore) / seconds) * 100,
      serverPercent: pids.map((pid, i) => ((cpuSeconds(pid) - serversBefore[i]!) / seconds) * 100),
    };
  } finally {
    await Promise.all([a.close(), b.close(), others.stop()]);
  }
  return { stats: percentiles(samples), failures, cpu };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name; clock ticks of 1/100 s on Linux.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export type IdleCost = {
  readonly baselineCpuPercent: number;
  readonly idleCpuPercent: number;
  readonly rssBeforeMiB: number;
  readonly rssIdleMiB: number;
  readonly windowSeconds: number;
  readonly waiting: number;
};

/** The server's CPU and memory over `windowSeconds` with no device, then with `devices` idle connected devices. */
export async function measureIdleCost(
  server: { readonly url: string; readonly pid: number },
  devices: number,
  windowSeconds: number,
): Promise<IdleCost> {
  const admin = await newSession(server.url);
  await createOrganization(admin);
  const window = async () => {
    const cpu = cpuSeconds(server.pid);
    const started = performance.now();
    await new Promise((r) => setTimeout(r, windowSeconds * 1000));
    return ((cpuSeconds(server.pid) - cpu) / ((performance.now() - started) / 1000)) * 100;
  };
  const baselineCpuPercent = await window();
  const rssBeforeMiB = processMemoryMiB(server.pid)?.rss ?? NaN;
  const connected = await connectDevices(admin, [server.url], devices);
  try {
    // Sign-ins and first pulls are over; what follows is waiting only (each device re-asks every 25 s).
    await new Promise((r) => setTimeout(r, 2000));
    const idleCpuPercent = await window();
    const rssIdleMiB = processMemoryMiB(server.pid)?.rss ?? NaN;
    return {
      baselineCpuPercent,
      idleCpuPercent,
      rssBeforeMiB,
      rssIdleMiB,
      windowSeconds,
      waiting: await waitingPulls(server.url),
    };
  } finally {
    await connected.stop();
  }
}
