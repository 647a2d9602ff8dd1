/**
 * The counters the core records, as a port: prom-client on Node
 * (`metrics.ts`), a runtime-neutral implementation on the Workers runtime.
 * Labels carry routes and outcomes only: never ids, emails or anything from a payload.
 */
export type Metrics = {
  readonly httpRequests: { inc(labels: { route: string; method: string; status: string }): void };
  readonly httpDuration: { observe(labels: { route: string; method: string }, seconds: number): void };
  readonly pushEvents: { inc(labels: { outcome: string }, value: number): void };
  readonly pullChanges: { inc(value: number): void };
  /** The Prometheus text exposition of everything recorded. */
  readonly registry: { metrics(): Promise<string>; readonly contentType: string };
};
