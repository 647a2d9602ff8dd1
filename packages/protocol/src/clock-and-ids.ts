/**
 * The injectable world shared by server, engine and desktop: time and
 * identifiers. Feature code never calls `Date.now()`, `crypto.randomUUID()`
 * or reads random bytes itself, so tests can pin all of them. Web-standard
 * APIs only (`globalThis.crypto`), so this also runs in a browser or on an
 * edge runtime.
 */
import { encodeBase64Url } from './base64url.ts';

export type Clock = { now(): Date };

export type Ids = {
  /** A new UUID (v4): record ids chosen offline, device ids, server rows. */
  newId(): string;
  /** `bytes` bytes of cryptographic randomness, base64url encoded (tokens, launch secrets). */
  randomToken(bytes: number): string;
};

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Cryptographic randomness from the platform. */
export const randomIds: Ids = {
  newId: () => globalThis.crypto.randomUUID(),
  randomToken: (bytes) => encodeBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(bytes))),
};

export type FakeClock = Clock & { advance(ms: number): void; set(at: string | Date): void };

/** A clock tests can move: `fakeClock('2026-01-01T00:00:00Z')`, then `advance(ms)` or `set(at)`. */
export function fakeClock(start: string | Date): FakeClock {
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

/** Predictable ids for tests: `sequentialIds(1)` → `00000000-0000-4000-8000-100000000001`, … */
export function sequentialIds(prefixDigit = 0): Ids {
  let n = 0;
  return {
    newId: () => {
      n += 1;
      return `00000000-0000-4000-8000-${`${prefixDigit}${String(n).padStart(11, '0')}`.slice(-12)}`;
    },
    randomToken: (bytes) => 't'.repeat(Math.ceil((bytes * 4) / 3)),
  };
}
