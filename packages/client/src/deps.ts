/**
 * The injectable world of the engine: time, identifiers and randomness. Only
 * this file and the protocol's clock-and-ids touch the real clock,
 * `crypto.randomUUID` and `Math.random`, so tests can pin all three.
 */

import type { Ids as WorldIds } from '@clinicsync/protocol';

export { fakeClock, randomIds, sequentialIds, systemClock, type Clock } from '@clinicsync/protocol';

/** The engine only ever needs new record ids. */
export type Ids = Pick<WorldIds, 'newId'>;

export type Random = () => number;
export const systemRandom: Random = () => Math.random();
