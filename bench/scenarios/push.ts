/**
 * ClinicSync push through the real HTTP endpoint: batches of 500 patient
 * INSERTs with full validation, authorization, version guard, change log and
 * audit, sent one after another as a device's push loop does. Request bodies
 * are serialized before the clock starts (the server is measured, not the
 * bench's JSON.stringify); answers are parsed and checked inside it. Also
 * measures idempotent replays: whole batches of duplicates, and batches that
 * mix duplicates with new events.
 */
import {
  createOrganization,
  newSession,
  patientInsert,
  push,
  pushBody,
  type Event,
  type Session,
} from '../lib/clinic.ts';
import { percentiles, perSecond, timed, type Stats } from '../lib/measure.ts';
import { chunk, patientRows, type PatientRow } from '../lib/rows.ts';

export type PushRun = {
  readonly eventsPerSecond: number;
  readonly batchMs: Stats;
  /** 500 events already applied earlier. */
  readonly replayBatchMs: Stats;
  /** 250 already applied and 250 new events. */
  readonly mixedBatchMs: Stats;
  readonly session: Session;
  readonly organizationId: string;
};

/** Pushes `count` new patients (random UUIDs) in 500-event batches, then replays some batches whole and mixed. */
export async function measurePush(base: string, count: number): Promise<PushRun> {
  const session = await newSession(base);
  const { organizationId } = await createOrganization(session);
  const rows: PatientRow[] = patientRows(organizationId, count);
  const batches: Event[][] = chunk(rows, 500).map((items) => items.map(patientInsert));
  const bodies = batches.map((events) => pushBody(session, events));
  // One warm-up batch outside the measurement (JIT, caches).
  await push(session, patientRows(organizationId, 500).map(patientInsert));

  const batchMs: number[] = [];
  const { ms } = await timed(async () => {
    for (const body of bodies) {
      const one = await timed(() => push(session, body));
      if (one.value.results.some((r) => r.status !== 'applied')) throw new Error('a benchmark event was not applied');
      batchMs.push(one.ms);
    }
  });

  const replayMs: number[] = [];
  for (const body of bodies.slice(0, Math.min(10, bodies.length))) {
    const one = await timed(() => push(session, body));
    if (one.value.results.some((r) => r.status !== 'duplicate'))
      throw new Error('a replayed event was not a duplicate');
    replayMs.push(one.ms);
  }

  const mixedMs: number[] = [];
  for (const batch of batches.slice(0, Math.min(10, batches.length))) {
    const fresh = patientRows(organizationId, 250).map(patientInsert);
    const body = pushBody(session, [...batch.slice(0, 250), ...fresh]);
    const one = await timed(() => push(session, body));
    const statuses = one.value.results.map((r) => r.status);
    if (statuses.slice(0, 250).some((s) => s !== 'duplicate') || statuses.slice(250).some((s) => s !== 'applied')) {
      throw new Error('a mixed batch was not answered as expected');
    }
    mixedMs.push(one.ms);
  }
  return {
    eventsPerSecond: perSecond(count, ms),
    batchMs: percentiles(batchMs),
    replayBatchMs: percentiles(replayMs),
    mixedBatchMs: percentiles(mixedMs),
    session,
    organizationId,
  };
}

/** Push latency per 500-event batch of new patients, `batches` times, on a server that already holds many rows. */
export async function measureBatchLatency(session: Session, organizationId: string, batches: number): Promise<Stats> {
  const bodies = Array.from({ length: batches + 1 }, () =>
    pushBody(session, patientRows(organizationId, 500).map(patientInsert)),
  );
  // The first batch warms the server process up and is not counted.
  await push(session, bodies[0]!);
  const samples: number[] = [];
  for (const body of bodies.slice(1)) {
    const one = await timed(() => push(session, body));
    if (one.value.results.some((r) => r.status !== 'applied')) throw new Error('a benchmark event was not applied');
    samples.push(one.ms);
  }
  return percentiles(samples);
}
