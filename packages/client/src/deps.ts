/**
 * The injectable world of the engine: time, identifiers and randomness. Only
 * this file touches the real clock, `crypto.randomUUID` and `Math.random`, so
 * tests can pin all three.
 */

export type Clock = { now(): Date };
export type Ids = { newId(): string };
export type Random = () => number;

export const systemClock: Clock = { now: () => new Date() };
// Web-standard crypto (no `node:` import) so the engine also runs in a browser.
export const randomIds: Ids = { newId: () => globalThis.crypto.randomUUID() };
export const systemRandom: Random = () => Math.random();

/** A clock tests can move. */
export function fakeClock(start: string | Date): Clock & { advance(ms: number): void } {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Deterministic UUID-shaped ids: `sequentialIds(1)` → `00000000-0000-4000-8000-000000000001`, … */
export function sequentialIds(prefixDigit = 0): Ids {
  let n = 0;
  return {
    newId: () => {
      n += 1;
      const tail = `${prefixDigit}${String(n).padStart(11, '0')}`.slice(-12);
      return `00000000-0000-4000-8000-${tail}`;
    },
  };
}
