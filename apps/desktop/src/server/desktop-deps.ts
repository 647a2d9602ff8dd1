/**
 * The injectable world of the desktop process: time and randomness. Feature
 * code never calls `Date.now()` or `crypto.randomUUID()` itself, so tests can
 * pin session expiry and identifiers.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export type Clock = { now(): Date };

export type Ids = {
  /** A new UUID (v4): device ids, record ids chosen offline. */
  newId(): string;
  /** `bytes` bytes of cryptographic randomness, base64url encoded (the launch secret). */
  randomToken(bytes: number): string;
};

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Cryptographic randomness from Node. */
export const randomIds: Ids = {
  newId: () => randomUUID(),
  randomToken: (bytes) => randomBytes(bytes).toString('base64url'),
};

/** A clock tests can move: `fakeClock('2026-01-01T00:00:00Z')`, then `advance(ms)`. */
export function fakeClock(start: string | Date): Clock & { advance(ms: number): void } {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Predictable ids for tests: `sequentialIds()` gives uuid-shaped ids counting up. */
export function sequentialIds(): Ids {
  let n = 0;
  return {
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    randomToken: (bytes) => 't'.repeat(Math.ceil((bytes * 4) / 3)),
  };
}
