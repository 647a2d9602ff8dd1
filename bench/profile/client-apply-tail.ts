/**
 * Where the tail of one pulled change on a big client goes. On a store filled
 * as `scenarios/client-apply.ts` fills it (`PROF_N` patients, default
 * 1,000,000; or an existing filled file given as `PROF_STORE`), interleaves
 * `PROF_ROUNDS` rounds (default 1,000) of:
 *
 * - page: a one-update pull page through `applyPullPage`, end of pull (the
 *   search index refresh included), as the scenario measures it;
 * - page, more to come: the same page with `hasMore`, which skips the
 *   refresh, then `refreshPatientTerms` timed on its own (its own commit);
 * - bare commit: a transaction writing only the cursor (one fsync, nothing else);
 * - page, synchronous = NORMAL: the first kind with no fsync at commit.
 *
 * `PROF_PAUSE` ms between two samples (default 1; 0 = back to back), and
 * `PROF_WRITER_CHECKPOINT` overrides the writing connection's own checkpoint
 * threshold in WAL pages (0 = never). Samples overlapped by a garbage
 * collection are counted per kind.
 * `npx tsx bench/profile/client-apply-tail.ts`
 */
import { randomUUID } from 'node:crypto';
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

type Sample = { ms: number; start: number };
const kinds = ['page', 'page, more to come', 'refresh alone', 'bare commit', 'page, synchronous = NORMAL'] as const;
const samples = new Map<string, Sample[]>(kinds.map((k) => [k, []]));
const time = async (kind: (typeof kinds)[number], fn: () => unknown) => {
  const start = performance.now();
  fn();
  samples.get(kind)!.push({ ms: performance.now() - start, start });
  if (pause > 0) await sleep(pause);
};
let n = 0;
const updatePage = (hasMore: boolean): PullResponse => {
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
    hasMore,
    revokedOrganizations: [],
  };
};
for (let i = 0; i < rounds; i++) {
  await time('page', () => applyPullPage(ctx, updatePage(false)));
  await time('page, more to come', () => applyPullPage(ctx, updatePage(true)));
  await time('refresh alone', () => refreshPatientTerms(db));
  await time('bare commit', () => db.transaction(() => writeState(db, 'cursor', `c1.bench-${i}`)));
  db.exec('PRAGMA synchronous = NORMAL');
  await time('page, synchronous = NORMAL', () => applyPullPage(ctx, updatePage(false)));
  db.exec('PRAGMA synchronous = FULL');
}
await sleep(100);
observer.disconnect();
const inGc = (s: Sample) => gcs.some((g) => g.startTime < s.start + s.ms && g.startTime + g.duration > s.start);
for (const kind of kinds) {
  const list = samples.get(kind)!;
  const stats = percentiles(list.map((s) => s.ms));
  const slow = list.filter((s) => s.ms >= 5);
  console.log(
    `${kind.padEnd(28)} p50 ${stats.p50.toFixed(3)} ms  p99 ${stats.p99.toFixed(3)} ms  max ${Math.max(...list.map((s) => s.ms)).toFixed(1)} ms  ≥5 ms: ${slow.length} (${slow.filter(inGc).length} during GC; rounds ${slow.map((s) => list.indexOf(s)).join(' ')})`,
  );
}
await db.close();
