/**
 * Push latency at two server sizes measured side by side: both servers run
 * at once and take their 500-event batches in turn (which one goes first
 * alternates), so each pair of batches meets the same moment of a shared,
 * noisy machine. Measured one size after the other, minutes apart, the
 * ratio of the medians moved between 1.1× and 2.0× with the load alone.
 * Reports each server's percentiles and the median of the pairs' ratios.
 */
import { patientInsert, push, pushBody, type Session } from '../lib/clinic.ts';
import { percentiles, type Stats, timed } from '../lib/measure.ts';
import { patientRows } from '../lib/rows.ts';

export type Side = { readonly session: Session; readonly organizationId: string };

export type PairedLatency = {
  readonly small: Stats;
  readonly large: Stats;
  /** Median over the pairs of large ÷ small. */
  readonly pairRatio: number;
};

export async function measurePairedBatchLatency(small: Side, large: Side, batches: number): Promise<PairedLatency> {
  const bodies = (side: Side) =>
    Array.from({ length: batches + 1 }, () =>
      pushBody(side.session, patientRows(side.organizationId, 500).map(patientInsert)),
    );
  const smallBodies = bodies(small);
  const largeBodies = bodies(large);
  const send = async (side: Side, body: string) => {
    const one = await timed(() => push(side.session, body));
    if (one.value.results.some((r) => r.status !== 'applied')) throw new Error('a benchmark event was not applied');
    return one.ms;
  };
  // The first batch of each warms its server process up and is not counted.
  await send(small, smallBodies[0]!);
  await send(large, largeBodies[0]!);
  const smallMs: number[] = [];
  const largeMs: number[] = [];
  const ratios: number[] = [];
  for (let i = 1; i <= batches; i++) {
    let s: number;
    let l: number;
    if (i % 2 === 0) {
      s = await send(small, smallBodies[i]!);
      l = await send(large, largeBodies[i]!);
    } else {
      l = await send(large, largeBodies[i]!);
      s = await send(small, smallBodies[i]!);
    }
    smallMs.push(s);
    largeMs.push(l);
    ratios.push(l / s);
  }
  return { small: percentiles(smallMs), large: percentiles(largeMs), pairRatio: percentiles(ratios).p50 };
}
