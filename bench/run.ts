/**
 * `npm run bench [-- --quick] [-- --only=push,pull,scale,client,search,devices,browser,edge,encryption,live]`:
 * measures ClinicSync in one run against the raw SQLite ceiling, the raw
 * floor of its own writes and PouchDB, then pull and scale, and writes
 * bench/results/results.{json,md} and chart.svg (`--quick`: smaller sizes,
 * written to bench/results/quick/; `--only`: a subset, written to
 * bench/results/partial/). Set CLINICSYNC_TEST_PG_URL to include PostgreSQL.
 * See bench/README.md.
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freshPostgresDatabase } from '../packages/server/test/support/dialects.ts';
import { BENCH_SECRET, fillTo, prepareServer, startBenchServer, withServer } from './lib/bench-server.ts';
import { processMemoryMiB } from './lib/measure.ts';
import { fmt, writeReport, type Result } from './lib/report.ts';
import { patientRows } from './lib/rows.ts';
import { rawReadInsertRate, rawSqliteInsertRate } from './scenarios/ceiling.ts';
import { measureBrowserInitialPull } from './scenarios/browser-pull.ts';
import { measureClientApply } from './scenarios/client-apply.ts';
import { measureEncryptionCost } from './scenarios/encryption.ts';
import { rawWriteSetRate } from './scenarios/floor.ts';
import { pouchReplicationRate } from './scenarios/pouchdb.ts';
import { measureInitialPull, measureManyDevices, measureOneBehind } from './scenarios/pull.ts';
import { measureRuntime } from './scenarios/edge.ts';
import { measurePush } from './scenarios/push.ts';
import { measurePairedBatchLatency } from './scenarios/scale-latency.ts';
import { LIVE_SERVER_ENV, measureIdleCost, measurePropagation } from './scenarios/live.ts';
import { measurePatientSearch } from './scenarios/search.ts';

const quick = process.argv.includes('--quick');
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
// `--live-devices=N`: the many-devices live case with N devices (the full run's 200 in a quick run, say).
const liveDevices = Number(
  process.argv.find((arg) => arg.startsWith('--live-devices='))?.slice('--live-devices='.length) ?? NaN,
);
const sizes = quick
  ? {
      edge: 5_000,
      push: 10_000,
      pull: 20_000,
      scaleSmall: 10_000,
      scaleLarge: 100_000,
      latencyBatches: 10,
      clientRows: 100_000,
      applyRounds: 50,
      devices: 50,
      deviceRows: 1_000,
      encryptionRows: 20_000,
      encryptionWrites: 100,
      liveRounds: 20,
      liveDevices: 50,
      idleDevices: 100,
      idleWindowSeconds: 10,
    }
  : {
      edge: 20_000,
      push: 50_000,
      pull: 100_000,
      scaleSmall: 10_000,
      scaleLarge: 1_000_000,
      latencyBatches: 30,
      clientRows: 1_000_000,
      applyRounds: 1000,
      devices: 200,
      deviceRows: 2_000,
      encryptionRows: 100_000,
      encryptionWrites: 300,
      liveRounds: 100,
      liveDevices: 200,
      idleDevices: 500,
      idleWindowSeconds: 30,
    };
const ORGANIZATION = '3f0d8a4e-5b7c-4d2e-9f1a-0b1c2d3e4f50';
const results: Result[] = [];
const notes: string[] = [];
const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const add = (result: Result) => {
  results.push(result);
  const ratio = result.ratio ? ` (${fmt(result.ratio.value)}× ${result.ratio.of})` : '';
  log(`  ${result.title}: ${fmt(result.value)} ${result.unit}${ratio}${result.detail ? `; ${result.detail}` : ''}`);
};

/** Push: the ceiling, the floor, the peer and ClinicSync, all on the same documents. */
async function pushPart(): Promise<void> {
  const rows = patientRows(ORGANIZATION, sizes.push);
  log(`raw SQLite ceiling and floor, ${sizes.push} rows…`);
  const ceiling = await rawSqliteInsertRate(rows);
  add({
    id: 'ceiling.raw_sqlite_insert',
    group: 'push',
    title: 'Raw better-sqlite3 inserts, 500-row transactions (ceiling)',
    value: ceiling,
    unit: 'rows/s',
  });
  const floor = await rawWriteSetRate(rows);
  add({
    id: 'floor.raw_write_set',
    group: 'push',
    title: "Raw inserts of the push's write set: row, change log, audit, outcome (floor)",
    value: floor,
    unit: 'events/s',
    ratio: { of: 'ceiling', value: floor / ceiling },
  });

  log(`PouchDB replication of ${sizes.push} documents to pouchdb-server…`);
  const pouch = await pouchReplicationRate(rows);
  add({
    id: 'peer.pouchdb_replication',
    group: 'peer',
    title: 'PouchDB → pouchdb-server replication (peer)',
    value: pouch,
    unit: 'docs/s',
  });

  log(`ClinicSync push on SQLite, ${sizes.push} events…`);
  const sqlite = await startBenchServer();
  // The PostgreSQL push is shown as a share of this one (target ≥ 0.9×).
  let sqlitePush = 0;
  try {
    const run = await measurePush(sqlite.url, sizes.push);
    sqlitePush = run.eventsPerSecond;
    add({
      id: 'push.sqlite',
      group: 'push',
      title: 'ClinicSync push over HTTP, SQLite, 500/batch',
      value: run.eventsPerSecond,
      unit: 'events/s',
      ratio: { of: 'ceiling', value: run.eventsPerSecond / ceiling },
      target: { text: '≥ 0.30× ceiling', met: run.eventsPerSecond / ceiling >= 0.3 },
      detail: `${fmt(run.eventsPerSecond / floor)}× floor; batch p50 ${fmt(run.batchMs.p50)} ms, p99 ${fmt(run.batchMs.p99)} ms`,
    });
    add({
      id: 'push.sqlite_vs_pouchdb',
      group: 'peer',
      title: 'ClinicSync push (SQLite) ÷ PouchDB replication',
      value: run.eventsPerSecond,
      unit: 'events/s',
      ratio: { of: 'PouchDB', value: run.eventsPerSecond / pouch },
      target: { text: '≥ 5× PouchDB', met: run.eventsPerSecond / pouch >= 5 },
    });
    add({
      id: 'replay.duplicates',
      group: 'replay',
      title: 'Replayed batch: 500 duplicates, p50',
      value: run.replayBatchMs.p50,
      unit: 'ms',
      ratio: { of: 'new batch p50', value: run.replayBatchMs.p50 / run.batchMs.p50 },
      target: { text: 'much cheaper (≤ 0.25×)', met: run.replayBatchMs.p50 <= run.batchMs.p50 * 0.25 },
      detail: `p99 ${fmt(run.replayBatchMs.p99)} ms`,
    });
    add({
      id: 'replay.mixed',
      group: 'replay',
      title: 'Mixed batch: 250 duplicates + 250 new, p50',
      value: run.mixedBatchMs.p50,
      unit: 'ms',
      ratio: { of: 'new batch p50', value: run.mixedBatchMs.p50 / run.batchMs.p50 },
      detail: `p99 ${fmt(run.mixedBatchMs.p99)} ms`,
    });
  } finally {
    await sqlite.stop();
  }

  if (!process.env.CLINICSYNC_TEST_PG_URL) {
    notes.push('PostgreSQL was skipped: CLINICSYNC_TEST_PG_URL was not set.');
    log('PostgreSQL skipped: CLINICSYNC_TEST_PG_URL is not set (npm run pg prints one).');
    return;
  }
  log(`ClinicSync push on PostgreSQL, ${sizes.push} events…`);
  const postgres = await startBenchServer({ db: await freshPostgresDatabase() });
  try {
    const run = await measurePush(postgres.url, sizes.push);
    add({
      id: 'push.postgres',
      group: 'push',
      title: 'ClinicSync push over HTTP, PostgreSQL, 500/batch',
      value: run.eventsPerSecond,
      unit: 'events/s',
      ratio: { of: 'SQLite push', value: run.eventsPerSecond / sqlitePush },
      target: { text: '≥ 0.9× SQLite push', met: run.eventsPerSecond / sqlitePush >= 0.9 },
      detail: `${fmt(run.eventsPerSecond / pouch)}× PouchDB, ${fmt(run.eventsPerSecond / ceiling)}× SQLite ceiling; batch p50 ${fmt(run.batchMs.p50)} ms, p99 ${fmt(run.batchMs.p99)} ms; replay p50 ${fmt(run.replayBatchMs.p50)} ms`,
    });
  } finally {
    await postgres.stop();
  }
}

/** Pull: the first sync of a fresh client store, against the raw read + insert ceiling. */
async function pullPart(): Promise<void> {
  log(`initial pull of ${sizes.pull} rows into a fresh client store…`);
  const rawPull = await rawReadInsertRate(patientRows(ORGANIZATION, sizes.pull));
  add({
    id: 'pull.raw_read_insert',
    group: 'pull',
    title: 'Raw SQLite read + insert into another file, 5,000-row pages (ceiling)',
    value: rawPull,
    unit: 'rows/s',
  });
  const server = await prepareServer();
  fillTo(server, sizes.pull);
  await withServer(server, async (session) => {
    for (const pullLimit of [1000, 5000]) {
      const pull = await measureInitialPull(session, pullLimit);
      if (pull.rows !== sizes.pull) throw new Error(`the client holds ${pull.rows} patients, expected ${sizes.pull}`);
      add({
        id: `pull.initial_${pullLimit}`,
        group: 'pull',
        title: `Initial sync into a fresh client store, ${pullLimit.toLocaleString('en-US')}-row pages${pullLimit === 1000 ? ' (engine default)' : ''}`,
        value: pull.rowsPerSecond,
        unit: 'rows/s',
        ratio: { of: 'raw read + insert', value: pull.rowsPerSecond / rawPull },
        target: {
          text: '≥ 40,000 rows/s and ≥ 0.30× raw',
          met: pull.rowsPerSecond >= 40_000 && pull.rowsPerSecond / rawPull >= 0.3,
        },
        detail: `${fmt(pull.ms / 1000)} s (client CPU ${fmt(pull.cpuMs / 1000)} s); then the search index ${fmt(pull.indexMs / 1000)} s (built in the background after the sync, here finished at once); client peak RSS ${fmt(pull.peakRssMiB)} MiB (${fmt(pull.baselineRssMiB)} MiB before the sync)`,
      });
    }
  });
}

/** Scale: push latency on a small and a large server side by side, and a pull one change behind on the large one. */
async function scalePart(): Promise<void> {
  log(`scale: push latency at ${sizes.scaleSmall} and ${sizes.scaleLarge} stored rows, the two servers side by side…`);
  const smallServer = await prepareServer();
  fillTo(smallServer, sizes.scaleSmall);
  const largeServer = await prepareServer();
  const seedStarted = performance.now();
  fillTo(largeServer, sizes.scaleLarge);
  log(`  filled to ${sizes.scaleLarge} rows directly in ${fmt((performance.now() - seedStarted) / 1000)} s`);
  await withServer(largeServer, (largeSession) =>
    withServer(smallServer, async (smallSession) => {
      const behind = await measureOneBehind(largeSession, {
        secret: BENCH_SECRET,
        organizationId: largeServer.organizationId,
        membershipId: largeServer.membershipId,
        lastSeq: largeServer.lastSeq,
        rounds: quick ? 20 : 50,
      });
      const { small, large, pairRatio } = await measurePairedBatchLatency(
        { session: smallSession, organizationId: smallServer.organizationId },
        { session: largeSession, organizationId: largeServer.organizationId },
        sizes.latencyBatches,
      );
      add({
        id: 'scale.push_latency_small',
        group: 'scale',
        title: `Push latency per 500-event batch, ${sizes.scaleSmall.toLocaleString('en-US')} stored rows, p50`,
        value: small.p50,
        unit: 'ms',
        detail: `p99 ${fmt(small.p99)} ms (${small.n} batches, in turn with the large server's)`,
      });
      add({
        id: 'scale.push_latency_large',
        group: 'scale',
        title: `Push latency per 500-event batch, ${sizes.scaleLarge.toLocaleString('en-US')} stored rows, p50`,
        value: large.p50,
        unit: 'ms',
        ratio: { of: `${sizes.scaleSmall.toLocaleString('en-US')}-row p50`, value: large.p50 / small.p50 },
        target: { text: '≤ 1.5× the small server', met: large.p50 / small.p50 <= 1.5 },
        detail: `median of the ${large.n} pairs' ratios ${fmt(pairRatio)}×; p99 ${fmt(large.p99)} ms (${fmt(large.p99 / small.p99)}× small p99)`,
      });
      add({
        id: 'scale.pull_one_behind',
        group: 'scale',
        title: `Pull by a device one change behind, ${sizes.scaleLarge.toLocaleString('en-US')}-row server, p50`,
        value: behind.p50,
        unit: 'ms',
        detail: `p99 ${fmt(behind.p99)} ms (${behind.n} pulls, HTTP round trip included)`,
      });
    }),
  );
}

/** Scale, client side: one pulled change (and one delete) on a client holding many rows. */
async function clientPart(): Promise<void> {
  log(`scale: one pulled change on a client holding ${sizes.clientRows} rows…`);
  const apply = await measureClientApply(sizes.clientRows, sizes.applyRounds);
  add({
    id: 'scale.client_apply_update',
    group: 'scale',
    title: `Apply one pulled update on a ${sizes.clientRows.toLocaleString('en-US')}-row client, p99`,
    value: apply.update.p99,
    unit: 'ms',
    target: { text: 'p99 < 5 ms', met: apply.update.p99 < 5 },
    detail: `p50 ${fmt(apply.update.p50)} ms (${apply.update.n} pages, each its own transaction with its cursor; a bare commit of the cursor alone between them: p50 ${fmt(apply.commit.p50)} ms, p99 ${fmt(apply.commit.p99)} ms); store filled in ${fmt(apply.fillMs / 1000)} s`,
  });
  add({
    id: 'scale.client_apply_delete',
    group: 'scale',
    title: `Apply one pulled delete on a ${sizes.clientRows.toLocaleString('en-US')}-row client, p99`,
    value: apply.delete.p99,
    unit: 'ms',
    target: { text: 'p99 < 5 ms', met: apply.delete.p99 < 5 },
    detail: `p50 ${fmt(apply.delete.p50)} ms (${apply.delete.n} pages)`,
  });
}

/** Patient search on a large clinic: 20,000 patients in the client store (docs/patient-search.md). */
async function searchPart(): Promise<void> {
  const patients = 20_000;
  log(`search: ${patients} patients in a client store…`);
  const figures = await measurePatientSearch(patients, quick ? 20 : 100);
  add({
    id: 'client.patient_search',
    group: 'client',
    title: `Patient search among ${patients.toLocaleString('en-US')} patients (clinic number, name part, phone three ways, two words), p50`,
    value: figures.search.p50,
    unit: 'ms',
    target: { text: 'well under 50 ms', met: figures.search.p99 < 50 },
    detail: `p99 ${fmt(figures.search.p99)} ms over ${figures.search.n} searches; indexing all ${patients.toLocaleString('en-US')} once ${fmt(figures.indexMs)} ms; registering them ${fmt(figures.registerMs)} ms`,
  });
}

/** Scale: many devices doing their first sync at the same moment against one server. */
async function devicesPart(): Promise<void> {
  log(`scale: ${sizes.devices} devices doing their first sync at once (${sizes.deviceRows} rows each)…`);
  const server = await prepareServer();
  fillTo(server, sizes.deviceRows);
  await withServer(server, async (session, running) => {
    const before = processMemoryMiB(running.child.pid!);
    const many = await measureManyDevices(session, {
      devices: sizes.devices,
      expectedRows: sizes.deviceRows,
      pullLimit: 1000,
    });
    const after = processMemoryMiB(running.child.pid!);
    const memory =
      before && after ? `server RSS ${fmt(before.rss)} MiB before, peak ${fmt(after.peak)} MiB` : 'server RSS n/a';
    add({
      id: 'scale.many_devices',
      group: 'scale',
      title: `${sizes.devices} devices' first sync at once (${sizes.deviceRows.toLocaleString('en-US')} rows each), all done in`,
      value: many.ms / 1000,
      unit: 's',
      detail: `${fmt(many.rowsPerSecond)} rows/s served; per device p50 ${fmt(many.perDevice.p50 / 1000)} s, p99 ${fmt(many.perDevice.p99 / 1000)} s; ${many.failures} failed; ${memory}`,
    });
    if (many.failures > 0) throw new Error(`${many.failures} devices failed their first sync`);
  });
}

/** Browser: the first sync of a fresh browser store (SQLite WASM in OPFS, engine in a worker), beside the Node engine on the same server. */
async function browserPart(): Promise<void> {
  log(`browser app: first sync of ${sizes.pull} rows into a fresh Chromium profile…`);
  const server = await prepareServer();
  fillTo(server, sizes.pull);
  await withServer(server, async (session) => {
    const node = await measureInitialPull(session, 5000);
    const browser = await measureBrowserInitialPull(session, sizes.pull);
    add({
      id: 'browser.initial_pull',
      group: 'browser',
      title: 'Browser app: first sync into a fresh OPFS store (SQLite WASM, engine worker, 5,000-row pages)',
      value: browser.rowsPerSecond,
      unit: 'rows/s',
      ratio: { of: 'Node engine, same server and run', value: browser.rowsPerSecond / node.rowsPerSecond },
      target: { text: '≥ 30,000 rows/s', met: browser.rowsPerSecond >= 30_000 },
      detail: `${fmt(browser.ms / 1000)} s for ${browser.rows.toLocaleString('en-US')} rows; Node engine ${fmt(node.rowsPerSecond)} rows/s in the same run`,
    });
    add({
      id: 'browser.main_thread_longest_task',
      group: 'browser',
      title: "Browser app: the page's longest main-thread task during that sync",
      value: browser.longestTaskMs,
      unit: 'ms',
      target: { text: '≤ 200 ms (the page keeps answering)', met: browser.longestTaskMs <= 200 },
      detail: `${browser.longTasks} long tasks (over 50 ms) on the main thread while the worker synced`,
    });
  });
}

/** Live: a write on device A to the row in device B's store, alone and among many connected devices; idle devices' cost. */
async function livePart(): Promise<void> {
  const manyDevices = Number.isInteger(liveDevices) && liveDevices > 1 ? liveDevices : sizes.liveDevices;
  const propagation = async (
    id: string,
    label: string,
    bases: { writerBase: string; readerBase: string },
    others: number,
    serverPids: readonly number[],
  ) => {
    log(`live: propagation A → B, ${label}, ${others} other connected devices, ${sizes.liveRounds} writes…`);
    const run = await measurePropagation({ ...bases, others, rounds: sizes.liveRounds, serverPids });
    add({
      id,
      group: 'live',
      title: `Live propagation, write on A → row in B's store, ${label}, ${others === 0 ? '1 device' : `${others + 1} connected devices`}, p50`,
      value: run.stats.p50,
      unit: 'ms',
      target: {
        text: 'p50 < 300 ms, p99 < 1 s',
        met: run.stats.p50 < 300 && run.stats.p99 < 1000 && run.failures === 0,
      },
      detail: `p99 ${fmt(run.stats.p99)} ms, mean ${fmt(run.stats.mean)} ms (${run.stats.n} writes, ${run.failures} not arrived within 10 s); CPU over the writes: server ${run.cpu.serverPercent.map((p) => `${fmt(p)} %`).join(' + ')}, engines A and B ${fmt(run.cpu.benchPercent)} %, other devices ${fmt(run.cpu.devicesPercent)} % of a core`,
    });
  };

  const sqlite = await startBenchServer({ env: LIVE_SERVER_ENV });
  try {
    const bases = { writerBase: sqlite.url, readerBase: sqlite.url };
    const pids = [sqlite.child.pid!];
    await propagation('live.sqlite_1', 'SQLite', bases, 0, pids);
    await propagation(`live.sqlite_${manyDevices}`, 'SQLite', bases, manyDevices - 1, pids);
  } finally {
    await sqlite.stop();
  }

  if (process.env.CLINICSYNC_TEST_PG_URL) {
    const db = await freshPostgresDatabase();
    const one = await startBenchServer({ db, env: LIVE_SERVER_ENV });
    const two = await startBenchServer({ db, env: LIVE_SERVER_ENV });
    try {
      const bases = { writerBase: one.url, readerBase: two.url };
      const pids = [one.child.pid!, two.child.pid!];
      await propagation('live.postgres_1', 'PostgreSQL, A on instance 1, B on instance 2', bases, 0, pids);
      await propagation(
        `live.postgres_${manyDevices}`,
        'PostgreSQL, A on instance 1, B on instance 2',
        bases,
        manyDevices - 1,
        pids,
      );
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  } else {
    notes.push('Live propagation over PostgreSQL was skipped: CLINICSYNC_TEST_PG_URL was not set.');
  }

  log(`live: server cost of ${sizes.idleDevices} idle connected devices over ${sizes.idleWindowSeconds} s…`);
  const idle = await startBenchServer({ env: LIVE_SERVER_ENV });
  try {
    const cost = await measureIdleCost(
      { url: idle.url, pid: idle.child.pid! },
      sizes.idleDevices,
      sizes.idleWindowSeconds,
    );
    const perDeviceKiB = ((cost.rssIdleMiB - cost.rssBeforeMiB) * 1024) / sizes.idleDevices;
    add({
      id: 'live.idle_cpu',
      group: 'live',
      title: `Server CPU with ${sizes.idleDevices} idle connected devices (waiting pulls), SQLite`,
      value: cost.idleCpuPercent,
      unit: '% of a core',
      detail: `${fmt(cost.baselineCpuPercent)} % with none; ${cost.waiting} pulls held; each device asks again every 25 s`,
    });
    add({
      id: 'live.idle_memory',
      group: 'live',
      title: `Server resident memory with ${sizes.idleDevices} idle connected devices, SQLite`,
      value: cost.rssIdleMiB,
      unit: 'MiB',
      detail: `${fmt(cost.rssBeforeMiB)} MiB with none (${fmt(perDeviceKiB)} KiB per waiting device, sockets included)`,
    });
  } finally {
    await idle.stop();
  }
}

const startedAt = new Date();
const loadAtStart = loadavg();
/** The Workers runtime (clinicsync-edge under workerd) beside Node on the same push and first sync. */
async function edgePart(): Promise<void> {
  log(`push and first sync of ${sizes.edge} events on Node and on the edge runtime…`);
  const node = await measureRuntime('node', sizes.edge);
  const edge = await measureRuntime('edge', sizes.edge);
  add({
    id: 'edge.push_node',
    group: 'edge',
    title: 'Push over HTTP on Node (SQLite), 500/batch',
    value: node.push.eventsPerSecond,
    unit: 'events/s',
    detail: `batch p50 ${fmt(node.push.batchMs.p50)} ms`,
  });
  add({
    id: 'edge.push_edge',
    group: 'edge',
    title: 'Push over HTTP on the edge runtime (Durable Object SQLite), 500/batch',
    value: edge.push.eventsPerSecond,
    unit: 'events/s',
    ratio: { of: 'Node', value: edge.push.eventsPerSecond / node.push.eventsPerSecond },
    detail: `batch p50 ${fmt(edge.push.batchMs.p50)} ms, p99 ${fmt(edge.push.batchMs.p99)} ms; replay p50 ${fmt(edge.push.replayBatchMs.p50)} ms`,
  });
  add({
    id: 'edge.pull_node',
    group: 'edge',
    title: 'First sync into a fresh client store from Node, 1,000-row pages',
    value: node.pull.rowsPerSecond,
    unit: 'rows/s',
    detail: `${node.pull.rows} rows`,
  });
  add({
    id: 'edge.pull_edge',
    group: 'edge',
    title: 'First sync into a fresh client store from the edge runtime, 1,000-row pages',
    value: edge.pull.rowsPerSecond,
    unit: 'rows/s',
    ratio: { of: 'Node', value: edge.pull.rowsPerSecond / node.pull.rowsPerSecond },
    detail: `${edge.pull.rows} rows in ${fmt(edge.pull.ms / 1000)} s`,
  });
}

/** Encryption at rest: first sync and one local write, unencrypted and encrypted stores. */
async function encryptionPart(): Promise<void> {
  const rows = sizes.encryptionRows;
  log(`encryption at rest: first sync of ${rows} rows and single local writes, with and without a key…`);
  const server = await prepareServer();
  fillTo(server, rows);
  await withServer(server, async (session) => {
    const cost = await measureEncryptionCost(session, {
      expectedRows: rows,
      runs: 2,
      storeRows: 1_000,
      writes: sizes.encryptionWrites,
    });
    add({
      id: 'encryption.first_sync',
      group: 'encryption',
      title: `First sync of ${rows.toLocaleString('en-US')} rows into an encrypted store, time ÷ unencrypted`,
      value: cost.firstSync.ratio,
      unit: '×',
      target: { text: '≤ 1.3×', met: cost.firstSync.ratio <= 1.3 },
      detail: `encrypted ${fmt(cost.firstSync.encrypted.ms / 1000)} s, unencrypted ${fmt(cost.firstSync.plain.ms / 1000)} s (best of 2 each, alternated)`,
    });
    add({
      id: 'encryption.single_write',
      group: 'encryption',
      title: 'One local write (row + outbox, synchronous = FULL) into an encrypted store, p50 ÷ unencrypted',
      value: cost.write.ratio,
      unit: '×',
      target: { text: '≤ 1.3×', met: cost.write.ratio <= 1.3 },
      detail: `encrypted p50 ${fmt(cost.write.encrypted.p50)} ms (p99 ${fmt(cost.write.encrypted.p99)}), unencrypted p50 ${fmt(cost.write.plain.p50)} ms (p99 ${fmt(cost.write.plain.p99)}); ${cost.write.plain.n} writes each`,
    });
  });
}

const parts = {
  push: pushPart,
  pull: pullPart,
  scale: scalePart,
  client: clientPart,
  search: searchPart,
  devices: devicesPart,
  browser: browserPart,
  edge: edgePart,
  encryption: encryptionPart,
  live: livePart,
};
for (const [name, part] of Object.entries(parts)) if (only === undefined || only.includes(name)) await part();

notes.push(
  'Push and pull go through the real server process over loopback HTTP; request bodies are serialized before timing. The scale servers are filled by direct SQL inserts that write what the push path writes (rows, change log, audit, remembered outcomes, org_seq); see bench/README.md.',
);
const report = {
  startedAt: startedAt.toISOString(),
  durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
    loadAverage: loadAtStart,
  },
  quick,
  only: only ?? null,
  sizes,
  results,
  notes,
};
const dir = fileURLToPath(
  new URL(only ? './results/partial/' : quick ? './results/quick/' : './results/', import.meta.url),
);
writeReport(dir, report);
log(
  `done in ${fmt(report.durationSeconds)} s (free memory ${fmt(freemem() / 2 ** 30)} GiB); results written to ${dir}`,
);
