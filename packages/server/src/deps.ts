/**
 * The injectable world: time, identifiers and randomness. Feature code never
 * calls `Date.now()`, `crypto.randomUUID()` or `Math.random()` itself, so
 * tests can pin time (token expiry) and ids.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export type Clock = {
  now(): Date;
};

export type Ids = {
  /** A new UUID (v4) for server-created rows. */
  newId(): string;
  /** `bytes` bytes of cryptographic randomness, base64url encoded (tokens). */
  randomToken(bytes: number): string;
};

export const systemClock: Clock = { now: () => new Date() };

export const randomIds: Ids = {
  newId: () => randomUUID(),
  randomToken: (bytes) => randomBytes(bytes).toString('base64url'),
};

/** A clock tests can move: `fakeClock('2026-01-01T00:00:00Z')`, then `advance(ms)`. */
export function fakeClock(start: string | Date): Clock & { advance(ms: number): void; set(at: string | Date): void } {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (at) => {
      current = new Date(at).getTime();
    },
  };
}
