/**
 * While sync reports the server unreachable, asks the server's `/healthz`
 * every few seconds and, once it answers, tells the engine to retry at once
 * instead of waiting out its backoff ("coming back online" trigger,
 * docs/architecture.md §7 "Sync worker"). Costs nothing while online.
 */
export type ConnectivityOptions = {
  readonly serverUrl: string;
  readonly fetch: typeof fetch;
  readonly isOffline: () => boolean;
  readonly onBack: () => void;
  readonly everyMs?: number;
};

/** Starts probing; returns the function that stops it. */
export function watchConnectivity(options: ConnectivityOptions): () => void {
  let probing = false;
  const timer = setInterval(async () => {
    if (probing || !options.isOffline()) return;
    probing = true;
    try {
      const res = await options.fetch(new URL('/healthz', options.serverUrl), { signal: AbortSignal.timeout(3000) });
      if (res.ok) options.onBack();
    } catch {
      // Still unreachable; the next tick tries again.
    } finally {
      probing = false;
    }
  }, options.everyMs ?? 3000);
  timer.unref();
  return () => clearInterval(timer);
}
