/**
 * Two versions of the server taking the same push, batch for batch, so their
 * ratio holds on a busy machine: this checkout's server and the one of
 * another checkout of the repository (PAIR_WITH=/path, e.g. an older commit
 * unpacked with `git archive`), each on its own fresh database, and the
 * SQLite floor (scenarios/floor.ts) batch for batch too, into one database
 * growing as theirs do. The order within a round rotates, so a drift of the
 * machine's speed weighs on all alike; ratios are taken round by round and
 * their medians printed.
 *
 *   PAIR_WITH=/tmp/before npx tsx bench/profile/profile-push-pair.ts          # SQLite
 *   PAIR_WITH=/tmp/before PAIR_DB=postgres npx tsx bench/profile/profile-push-pair.ts   # PostgreSQL (CLINICSYNC_TEST_PG_URL)
 *
 * PAIR_N events per server (default 20,000), 500 per batch, then PAIR_REPLAYS
 * replays of whole batches (default 20, all duplicates), the servers in turn,
 * each replay's p50 also as a share of its server's new batch; beside the wall
 * times, each server process's CPU time per new batch and per replay (from
 * /proc: what the load of the machine does not stretch). Without PAIR_WITH,
 * this checkout's server on SQLite is paired with itself on PostgreSQL, which
 * gives PostgreSQL ÷ SQLite under the same load.
 */
import { join } from 'node:path';
import { freshPostgresDatabase } from '../../packages/server/test/support/dialects.ts';
import { startServerProcess, type ServerProcess } from '../../packages/server/test/support/server-process.ts';
import { BENCH_ENV } from '../lib/bench-server.ts';
import { createOrganization, newSession, patientInsert, push, pushBody, type Session } from '../lib/clinic.ts';
import { percentiles, processCpuMs, timed } from '../lib/measure.ts';
import { chunk, patientRows } from '../lib/rows.ts';
import { benchTempDir } from '../lib/temp.ts';
import { openWriteSetFloor } from '../scenarios/floor.ts';

const other = process.env.PAIR_WITH;
const n = Number(process.env.PAIR_N ?? 20_000);
const onPostgres = process.env.PAIR_DB === 'postgres';
const replays = Number(process.env.PAIR_REPLAYS ?? 20);

type Start = typeof startServerProcess;
const startOther: Start = other
  ? ((await import(join(other, 'packages/server/test/support/server-process.ts'))) as { startServerProcess: Start })
      .startServerProcess
  : startServerProcess;
const database = async (pg: boolean) => (pg ? { db: await freshPostgresDatabase() } : {});
const servers: [ServerProcess, ServerProcess] = [
  await startServerProcess({ dataDir: benchTempDir('pair-a'), env: BENCH_ENV, ...(await database(onPostgres)) }),
  await startOther({ dataDir: benchTempDir('pair-b'), env: BENCH_ENV, ...(await database(onPostgres || !other)) }),
];
const names = ['A (this checkout)', other ? `B (${other})` : 'B (this checkout, PostgreSQL)'];
try {
  const plans = await Promise.all(
    servers.map(async (server) => {
      const session: Session = await newSession(server.url);
      const { organizationId } = await createOrganization(session);
      const bodies = chunk(patientRows(organizationId, n), 500).map((rows) =>
        pushBody(session, rows.map(patientInsert)),
      );
      // One warm-up batch each, outside the measurement (JIT, caches).
      await push(session, patientRows(organizationId, 500).map(patientInsert));
      return { session, bodies };
    }),
  );
  const floor = await openWriteSetFloor();
  const floorBatches = chunk(patientRows(crypto.randomUUID(), n), 500).map((rows) => floor.prepare(rows));
  const ms: [number[], number[]] = [[], []];
  const floorMs: number[] = [];
  // The server process's CPU time (every thread) over its new batches and over its replays: what a request costs
  // the server whatever the machine's load adds to its wall time.
  const cpuMs: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];
  const batches = plans[0]!.bodies.length;
  const rounds = [
    [0, 1, 2],
    [1, 2, 0],
    [2, 0, 1],
  ] as const;
  for (let index = 0; index < batches; index++) {
    for (const step of rounds[index % 3]!) {
      if (step === 2) {
        floorMs.push((await timed(() => floor.write(floorBatches[index]!))).ms);
        continue;
      }
      const plan = plans[step]!;
      const cpuBefore = processCpuMs(servers[step]!.child.pid!);
      const one = await timed(() => push(plan.session, plan.bodies[index]!));
      if (one.value.results.some((r) => r.status !== 'applied')) throw new Error('a benchmark event was not applied');
      ms[step]!.push(one.ms);
      cpuMs[step]![0] += processCpuMs(servers[step]!.child.pid!) - cpuBefore;
    }
  }
  floor.close();
  // Then replays: the first batches sent again (all duplicates), the two servers in turn, which goes first alternating.
  const replayMs: [number[], number[]] = [[], []];
  for (let index = 0; index < Math.min(replays, batches * 10); index++) {
    for (const step of index % 2 === 0 ? [0, 1] : [1, 0]) {
      const plan = plans[step]!;
      const cpuBefore = processCpuMs(servers[step]!.child.pid!);
      const one = await timed(() => push(plan.session, plan.bodies[index % batches]!));
      if (one.value.results.some((r) => r.status !== 'duplicate'))
        throw new Error('a replayed event was not a duplicate');
      replayMs[step]!.push(one.ms);
      cpuMs[step]![1] += processCpuMs(servers[step]!.child.pid!) - cpuBefore;
    }
  }
  const median = (values: readonly number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  const perRound = (top: readonly number[], bottom: readonly number[]) =>
    median(top.map((value, index) => value / bottom[index]!));
  for (const side of [0, 1]) {
    const stats = percentiles(ms[side]!);
    console.log(
      `${names[side]}: batch p50 ${stats.p50.toFixed(1)} ms (${Math.round((500 * 1000) / stats.p50)} events/s), p99 ${stats.p99.toFixed(1)} ms; ÷ floor ${perRound(floorMs, ms[side]!).toFixed(3)} (median of rounds); server CPU ${(cpuMs[side]![0] / batches).toFixed(1)} ms per batch`,
    );
  }
  if (replays > 0) {
    for (const side of [0, 1]) {
      const stats = percentiles(replayMs[side]!);
      const batch = percentiles(ms[side]!);
      console.log(
        `${names[side]}: replay p50 ${stats.p50.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms (${(stats.p50 / batch.p50).toFixed(3)}× its new batch p50); server CPU ${(cpuMs[side]![1] / replays).toFixed(1)} ms per replay (${(cpuMs[side]![1] / replays / (cpuMs[side]![0] / batches)).toFixed(3)}× per new batch)`,
      );
    }
    console.log(`A ÷ B replay time, median of ${replays} rounds: ${perRound(replayMs[0], replayMs[1]).toFixed(3)}`);
  }
  const floorStats = percentiles(floorMs);
  console.log(
    `floor: batch p50 ${floorStats.p50.toFixed(1)} ms (${Math.round((500 * 1000) / floorStats.p50)} events/s)`,
  );
  console.log(`A ÷ B in events/s, median of ${batches} rounds: ${perRound(ms[1], ms[0]).toFixed(3)}`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
}
