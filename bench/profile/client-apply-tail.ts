/**
 * Where the tail of one pulled change on a big client goes. On a store filled
 * as `scenarios/client-apply.ts` fills it (`PROF_N` patients, default
 * 1,000,000; or an existing filled file given as `PROF_STORE`), interleaves
 * `PROF_ROUNDS` rounds (default 1,000) of:
 *
 * - page: a one-update pull page through `applyPullPage`, end of pull, as
 *   the scenario measures it;
 * - index catch-up: `refreshPatientTerms` for that patient, its own commit,
 *   as the engine's background catch-up runs it after a pull;
 * - bare commit: a transaction writing only the cursor (one fsync, nothing else);
 * - page, synchronous = NORMAL: the first kind with no fsync at commit.
 *
 * `PROF_PAUSE` ms between two samples (default 1; 0 = back to back), and
 * `PROF_WRITER_CHECKPOINT` overrides the writing connection's own checkpoint
 * threshold in WAL pages (0 = never). Of the samples of 5 ms or more, it
 * counts those that waited at least half their time for a core (this
 * thread's schedstat), those during which a checkpoint copied pages (the
 * WAL index's backfill mark moved) and those a garbage collection overlapped.
 * `npx tsx bench/profile/client-apply-tail.ts`
 */
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { cursorSchema, type PullResponse } from '@clinicsync/protocol';
import { fakeClock, sequentialIds } from '../../packages/client/src/deps.ts';
import { applyPullPage } from '../../packages/client/src/store/apply-pull-page.ts';
import { refreshPatientTerms } from '../../packages/client/src/store/patient-search.ts';
import type { StoreContext } from '../../packages/client/src/store/store-context.ts';
import { writeState } from '../../packages/client/src/store/sync-state.ts';
import { percentiles } from '../lib/measure.ts';
import { benchTempDir } from '../lib/temp.ts';
import { fillClientStore, openClientStore } from '../scenarios/client-apply.ts';

const rows = Number(process.env.PROF_N ?? 1_000_000);
const rounds = Number(process.env.PROF_ROUNDS ?? 1000);
const pause = Number(process.env.PROF_PAUSE ?? 1);
let path = process.env.PROF_STORE;
if (!path) {
  path = join(benchTempDir('store'), 'client.sqlite');
  const started = performance.now();
  await fillClientStore(path, rows, randomUUID(), randomUUID());
  console.log(`filled ${rows} patients in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const db = openClientStore(path);
const ctx: StoreContext = { db, clock: fakeClock('2026-01-02T00:00:00Z'), ids: sequentialIds(1) };
const ids = db.all('SELECT id FROM patients WHERE deleted = 0').map((r) => String(r.id));
const organizationId = String(db.get('SELECT id FROM organizations')?.id);
if (process.env.PROF_WRITER_CHECKPOINT !== undefined)
  db.exec(`PRAGMA wal_autocheckpoint = ${Number(process.env.PROF_WRITER_CHECKPOINT)}`);

const gcs: PerformanceEntry[] = [];
const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
observer.observe({ entryTypes: ['gc'] });

// Time this thread waited for a core (Linux schedstat, ns): on a shared machine a preempted sample is not the store's.
const waitedNs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
// The WAL index (the -shm file, native byte order): a change of nBackfill means a checkpoint copied pages meanwhile.
const shm = openSync(`${path}-shm`, 'r');
const header = Buffer.alloc(100);
const backfilled = () => {
  readSync(shm, header, 0, 100, 0);
  return header.readUInt32LE(96);
};
type Sample = { ms: number; start: number; waitedMs: number; checkpointed: boolean };
const kinds = ['page', 'index catch-up', 'bare commit', 'page, synchronous = NORMAL'] as const;
const samples = new Map<string, Sample[]>(kinds.map((k) => [k, []]));
const time = async (kind: (typeof kinds)[number], fn: () => unknown) => {
  const waited = waitedNs();
  const before = backfilled();
  const start = performance.now();
  fn();
  const ms = performance.now() - start;
  const checkpointed = backfilled() !== before;
  samples.get(kind)!.push({ ms, start, waitedMs: (waitedNs() - waited) / 1e6, checkpointed });
  if (pause > 0) await sleep(pause);
};
let n = 0;
const updatePage = (): PullResponse => {
  n += 1;
  const id = ids[(n * 7919) % ids.length]!;
  const data = {
    organization_id: organizationId,
    given_name: 'Amina',
    family_name: `Okafor-x${n}`,
    phone: `+254 8${n}`,
  };
  return {
    changes: [{ table: 'patients', recordId: id, op: 'UPSERT', version: 2 + n, organizationId, data }],
    cursor: cursorSchema.parse(`c1.bench-${randomUUID()}`),
    hasMore: false,
    revokedOrganizations: [],
  };
};
for (let i = 0; i < rounds; i++) {
  await time('page', () => applyPullPage(ctx, updatePage()));
  await time('index catch-up', () => refreshPatientTerms(db));
  await time('bare commit', () => db.transaction(() => writeState(db, 'cursor', `c1.bench-${i}`)));
  db.exec('PRAGMA synchronous = NORMAL');
  await time('page, synchronous = NORMAL', () => applyPullPage(ctx, updatePage()));
  db.exec('PRAGMA synchronous = FULL');
  refreshPatientTerms(db);
}
await sleep(100);
observer.disconnect();
const inGc = (s: Sample) => gcs.some((g) => g.startTime < s.start + s.ms && g.startTime + g.duration > s.start);
for (const kind of kinds) {
  const list = samples.get(kind)!;
  const stats = percentiles(list.map((s) => s.ms));
  const slow = list.filter((s) => s.ms >= 5);
  const preempted = slow.filter((s) => s.waitedMs >= s.ms / 2).length;
  const checkpointing = slow.filter((s) => s.checkpointed).length;
  console.log(
    `${kind.padEnd(28)} p50 ${stats.p50.toFixed(3)} ms  p99 ${stats.p99.toFixed(3)} ms  max ${Math.max(...list.map((s) => s.ms)).toFixed(1)} ms  ≥5 ms: ${slow.length} (${preempted} waited half of it for a core, ${checkpointing} met a checkpoint, ${slow.filter(inGc).length} a GC)`,
  );
}
closeSync(shm);
await db.close();
