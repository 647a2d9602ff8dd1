/**
 * ClinicSync push through the real HTTP endpoint: batches of 500 patient
 * INSERTs with full validation, authorization, version guard, change log and
 * audit. Also measures replays of already-applied batches (idempotency).
 */
import { createOrganization, newSession, patientInsert, push, type Event, type Session } from '../lib/clinic.ts';
import { percentiles, perSecond, timed, type Stats } from '../lib/measure.ts';
import { chunk, patientRows, type PatientRow } from '../lib/rows.ts';

export type PushRun = {
  readonly eventsPerSecond: number;
  readonly batchMs: Stats;
  readonly replayBatchMs: Stats;
  readonly session: Session;
  readonly organizationId: string;
};

/** Pushes `count` new patients (random UUIDs) in 500-event batches, then replays some batches. */
export async function measurePush(base: string, count: number): Promise<PushRun> {
  const session = await newSession(base);
  const { organizationId } = await createOrganization(session);
  const rows: PatientRow[] = patientRows(organizationId, count);
  const batches: Event[][] = chunk(rows, 500).map((items) => items.map(patientInsert));
  // One warm-up batch outside the measurement (JIT, prepared statements).
  await push(session, patientRows(organizationId, 500).map(patientInsert));

  const batchMs: number[] = [];
  const { ms } = await timed(async () => {
    for (const batch of batches) {
      const one = await timed(() => push(session, batch));
      if (one.value.results.some((r) => r.status !== 'applied')) throw new Error('a benchmark event was not applied');
      batchMs.push(one.ms);
    }
  });

  const replayMs: number[] = [];
  for (const batch of batches.slice(0, Math.min(10, batches.length))) {
    const one = await timed(() => push(session, batch));
    if (one.value.results.some((r) => r.status !== 'duplicate')) throw new Error('a replayed event was not a duplicate');
    replayMs.push(one.ms);
  }
  return { eventsPerSecond: perSecond(count, ms), batchMs: percentiles(batchMs), replayBatchMs: percentiles(replayMs), session, organizationId };
}

/** Push latency per 500-event batch on a server that already holds many rows. */
export async function measureBatchLatency(session: Session, organizationId: string, batches: number): Promise<Stats> {
  const samples: number[] = [];
  for (let i = 0; i < batches; i++) {
    const events = patientRows(organizationId, 500).map(patientInsert);
    samples.push((await timed(() => push(session, events))).ms);
  }
  return percentiles(samples);
}
