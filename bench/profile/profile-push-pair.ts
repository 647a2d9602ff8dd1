/**
 * Two versions of the server taking the same push, batch for batch, so their
 * ratio holds on a busy machine: this checkout's server and the one of
 * another checkout of the repository (PAIR_WITH=/path, e.g. an older commit
 * unpacked with `git archive`), each on its own fresh database, and the
 * SQLite floor (scenarios/floor.ts) between rounds. Batches alternate A B B A
 * so a drift of the machine's speed weighs on both alike; the ratio is taken
 * pair by pair and its median printed.
 *
 *   PAIR_WITH=/tmp/before npx tsx bench/profile/profile-push-pair.ts          # SQLite
 *   PAIR_WITH=/tmp/before PAIR_DB=postgres npx tsx bench/profile/profile-push-pair.ts   # PostgreSQL (CLINICSYNC_TEST_PG_URL)
 *
 * PAIR_N events per server (default 20,000), 500 per batch. Without PAIR_WITH,
 * this checkout's server on SQLite is paired with itself on PostgreSQL, which
 * gives PostgreSQL ÷ SQLite under the same load.
 */
import { join } from 'node:path';
import { freshPostgresDatabase } from '../../packages/server/test/support/dialects.ts';
import { startServerProcess, type ServerProcess } from '../../packages/server/test/support/server-process.ts';
import { BENCH_ENV } from '../lib/bench-server.ts';
import { createOrganization, newSession, patientInsert, push, pushBody, type Session } from '../lib/clinic.ts';
import { percentiles, timed } from '../lib/measure.ts';
import { chunk, patientRows } from '../lib/rows.ts';
import { benchTempDir } from '../lib/temp.ts';
import { rawWriteSetRate } from '../scenarios/floor.ts';

const other = process.env.PAIR_WITH;
const n = Number(process.env.PAIR_N ?? 20_000);
const onPostgres = process.env.PAIR_DB === 'postgres';

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
  const ms: [number[], number[]] = [[], []];
  const floors: number[] = [];
  const batches = plans[0]!.bodies.length;
  for (let index = 0; index < batches; index++) {
    for (const side of index % 2 === 0 ? [0, 1] : [1, 0]) {
      const plan = plans[side]!;
      const one = await timed(() => push(plan.session, plan.bodies[index]!));
      if (one.value.results.some((r) => r.status !== 'applied')) throw new Error('a benchmark event was not applied');
      ms[side]!.push(one.ms);
    }
    // The floor of 2,000 events every 10 batches, in the same minutes (events/s).
    if (index % 10 === 9) floors.push(await rawWriteSetRate(patientRows(crypto.randomUUID(), 2_000)));
  }
  const ratios = ms[0].map((a, index) => a / ms[1][index]!).sort((x, y) => x - y);
  const median = (values: readonly number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  for (const side of [0, 1]) {
    const stats = percentiles(ms[side]!);
    const rate = (500 * 1000) / stats.p50;
    console.log(
      `${names[side]}: batch p50 ${stats.p50.toFixed(1)} ms (${Math.round(rate)} events/s), p99 ${stats.p99.toFixed(1)} ms`,
    );
  }
  const floor = median(floors);
  console.log(`floor (median of ${floors.length}): ${Math.round(floor)} events/s`);
  console.log(
    `A ÷ B batch time, median of ${ratios.length} pairs: ${median(ratios).toFixed(3)} (so B ÷ A in events/s); A ÷ floor ${((500 * 1000) / percentiles(ms[0]).p50 / floor).toFixed(3)}, B ÷ floor ${((500 * 1000) / percentiles(ms[1]).p50 / floor).toFixed(3)}`,
  );
} finally {
  await Promise.all(servers.map((server) => server.stop()));
}
