/**
 * Helpers for waiting-pull suites (PROTOCOL §4 "Live"): pull with `wait`,
 * read how many pulls a server holds (its `/metrics`), and wait for a
 * condition without a fixed sleep, so a test waits exactly as long as the
 * server needs and fails with a message when it never happens.
 */
import { call, type JsonResponse } from './http-client.ts';
import type { PushSession } from './orgs.ts';

export type PullAnswer = {
  changes: {
    table: string;
    recordId: string;
    op: 'UPSERT' | 'DELETE';
    version: number;
    organizationId: string;
    data: Record<string, any> | null;
  }[];
  cursor: string;
  hasMore: boolean;
  revokedOrganizations: string[];
};

export type PullParams = {
  readonly cursor?: string;
  readonly wait?: number | string;
  /** Default 1. */
  readonly schemaVersion?: number;
  readonly limit?: number;
};

/** One pull over HTTP, checked against the OpenAPI reference. */
export function pull(base: string, device: PushSession, params: PullParams = {}): Promise<JsonResponse<PullAnswer>> {
  const query = new URLSearchParams({ deviceId: device.deviceId, schemaVersion: String(params.schemaVersion ?? 1) });
  if (params.cursor) query.set('cursor', params.cursor);
  if (params.limit !== undefined) query.set('limit', String(params.limit));
  if (params.wait !== undefined) query.set('wait', String(params.wait));
  return call<PullAnswer>(base, 'GET', `/v1/sync/pull?${query}`, { token: device.syncToken });
}

/** Pulls until `hasMore` is false; returns the final cursor. */
export async function pullToEnd(
  base: string,
  device: PushSession,
  cursor?: string,
  shape: Pick<PullParams, 'schemaVersion'> = {},
): Promise<string> {
  for (;;) {
    const res = await pull(base, device, { ...shape, ...(cursor ? { cursor } : {}) });
    if (res.status !== 200) throw new Error(`pull failed: ${res.status} ${JSON.stringify(res.body)}`);
    cursor = res.body.cursor;
    if (!res.body.hasMore) return cursor;
  }
}

/** The number of waiting pulls a server holds now, from its Prometheus metrics. */
export async function waitingPulls(base: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', base))).text();
  const match = /^clinicsync_waiting_pulls (\d+)/m.exec(text);
  if (!match) throw new Error('the server reports no clinicsync_waiting_pulls');
  return Number(match[1]);
}

/** Resolves once `check` returns true (polled every 20 ms); throws `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
