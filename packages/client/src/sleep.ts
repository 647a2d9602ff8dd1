/**
 * Every wait of the loops (docs/style.md §7): ends after `ms` or as soon as `signal`
 * aborts, so `stop()` never waits out a backoff. Resolves true when the full
 * time passed, false when cut short. `Infinity` waits for the signal only.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    // setTimeout treats anything above 2^31-1 ms as 1 ms: never arm it for "forever".
    const timer = Number.isFinite(ms) && ms < 2 ** 31 ? setTimeout(done, Math.max(0, ms), true) : undefined;
    function done(completed: boolean): void {
      if (timer !== undefined) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(completed);
    }
    function onAbort(): void {
      done(false);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
