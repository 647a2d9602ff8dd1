/**
 * A simulated device for load and fault tests: pushes through whichever
 * server instance answers (as behind a load balancer) and re-sends the same
 * events after a network error or 5xx until they are acknowledged, exactly
 * as the client engine does. Counts requests and failures.
 */
import type { SignedUpUser } from './accounts.ts';
import type { PushEvent } from './orgs.ts';

export type SimResult = {
  eventId: string;
  status: string;
  version?: number;
  original?: { status: string; version?: number };
};

export type SimStats = { requests: number; failures: number; latenciesMs: number[] };

/** The version an event ended with, whether applied now or earlier (duplicate); undefined when refused. */
export function appliedVersion(result: SimResult): number | undefined {
  if (result.status === 'applied') return result.version;
  if (result.status === 'duplicate' && result.original?.status === 'applied') return result.original.version;
  return undefined;
}

export class SimDevice {
  private turn = 0;
  readonly stats: SimStats = { requests: 0, failures: 0, latenciesMs: [] };

  /** `urls` is asked on every request, so a test can replace a killed instance. */
  constructor(
    readonly user: SignedUpUser,
    private readonly urls: () => readonly string[],
  ) {}

  /** Pushes `events` until some instance answers 200; retries the same eventIds after failures. */
  async push(events: readonly PushEvent[], options: { deadline?: number } = {}): Promise<SimResult[]> {
    const deadline = options.deadline ?? Date.now() + 60_000;
    for (let attempt = 0; ; attempt++) {
      const urls = this.urls();
      const url = urls[this.turn++ % urls.length]!;
      const started = performance.now();
      this.stats.requests++;
      try {
        const res = await fetch(`${url}/v1/sync/push`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.user.syncToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ deviceId: this.user.deviceId, schemaVersion: 1, events }),
          signal: AbortSignal.timeout(15_000),
        });
        if (res.status === 200) {
          this.stats.latenciesMs.push(performance.now() - started);
          return ((await res.json()) as { results: SimResult[] }).results;
        }
        if (res.status < 500) throw new Error(`push refused with ${res.status}: ${await res.text()}`);
        await res.body?.cancel();
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('push refused')) throw error;
      }
      this.stats.failures++;
      if (Date.now() > deadline)
        throw new Error(`push not acknowledged before the deadline after ${attempt + 1} attempts`);
      await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** Math.min(attempt, 4))));
    }
  }
}
