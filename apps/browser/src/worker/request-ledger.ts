/**
 * The leader's memory of which forwarded requests it has taken, so a request
 * a tab re-sends during a hand-over is served once. Keys are forgotten after
 * `keepMs`; a tab re-sends only within moments of a leader change.
 */
export type RequestLedger = { firstTime(key: string): boolean };

export function createRequestLedger(keepMs = 10 * 60_000, now: () => number = () => Date.now()): RequestLedger {
  const seen = new Map<string, number>();
  return {
    firstTime(key) {
      const at = now();
      if (seen.size > 1000) for (const [k, t] of seen) if (at - t > keepMs) seen.delete(k);
      if (seen.has(key)) return false;
      seen.set(key, at);
      return true;
    },
  };
}
