/**
 * A small in-memory stand-in for the sync server, as a `fetch` function: just
 * enough of PROTOCOL §3/§4 (whole-record version guard, idempotent event ids,
 * a sequence cursor, a waiting pull held until `write` or its time is up) to
 * drive the loops deterministically. Tests can queue failures (`failNext`)
 * and read every request made.
 */
import type { EventResult, PullResponse, PushRequest, SyncEvent } from '@clinicsync/protocol';

export const FAKE_ORG = '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e';

type StoredRecord = {
  table: string;
  id: string;
  version: number;
  deleted: boolean;
  data: Record<string, unknown>;
  seq: number;
};
type Failure = { status: number; code: string; headers?: Record<string, string> } | 'network' | 'drop_response';

export type FakeSyncServer = {
  fetch: typeof fetch;
  requests: { method: string; path: string; query: URLSearchParams; body: any; auth: string | null }[];
  records: Map<string, StoredRecord>;
  /** The next requests to `path` (`push`, `pull` or `any`) fail like this, in order. */
  failNext(path: 'push' | 'pull' | 'any', ...failures: Failure[]): void;
  /** A change made by someone else. */
  write(table: string, id: string, data: Record<string, unknown>, deleted?: boolean): StoredRecord;
  revoked: string[];
  /** Pulls being held now (waiting pulls with nothing to send yet). */
  waiting(): number;
  /** Whether waiting pulls are held (true) or answered at once, as by a server or proxy that does not hold requests. */
  holdWaits: boolean;
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function fakeSyncServer(): FakeSyncServer {
  const records = new Map<string, StoredRecord>();
  const outcomes = new Map<string, { hash: string; result: EventResult }>();
  const failures: { path: string; failure: Failure }[] = [];
  const requests: FakeSyncServer['requests'] = [];
  const revoked: string[] = [];
  const waiters = new Set<() => void>();
  let seq = 0;

  const write: FakeSyncServer['write'] = (table, id, data, deleted = false) => {
    const key = `${table}/${id}`;
    const prev = records.get(key);
    const next = {
      table,
      id,
      version: (prev?.version ?? 0) + 1,
      deleted,
      data: { ...prev?.data, ...data },
      seq: ++seq,
    };
    records.set(key, next);
    for (const wake of [...waiters]) wake();
    return next;
  };

  /** Holds a waiting pull until a write, its time, or its request is aborted (then rejects like fetch does). */
  function hold(seconds: number, signal: AbortSignal | null | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error?: unknown) => {
        clearTimeout(timer);
        waiters.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const wake = () => done();
      const onAbort = () => done(new DOMException('The operation was aborted.', 'AbortError'));
      const timer = setTimeout(wake, seconds * 1000);
      waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  function serverRecord(r: StoredRecord) {
    return {
      ...r.data,
      id: r.id,
      version: r.version,
      deleted: r.deleted,
      updated_by: 'server-user',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
  }

  function apply(event: SyncEvent): EventResult {
    const key = `${event.table}/${event.recordId}`;
    const stored = records.get(key);
    const hash = JSON.stringify([event.table, event.op, event.recordId, event.baseVersion, event.data]);
    const seen = outcomes.get(event.eventId);
    if (seen) {
      if (seen.hash !== hash)
        return { eventId: event.eventId, status: 'rejected', code: 'event_id_reused', message: 'reused' };
      const { eventId: _id, ...original } = seen.result as any;
      return { eventId: event.eventId, status: 'duplicate', original } as EventResult;
    }
    let result: EventResult;
    if ((event.data as any)?.notes === 'FORBIDDEN') {
      result = { eventId: event.eventId, status: 'rejected', code: 'forbidden', message: 'not allowed' };
    } else if ((stored?.version ?? 0) !== event.baseVersion) {
      result = {
        eventId: event.eventId,
        status: 'conflict',
        serverVersion: stored?.version ?? 0,
        serverRecord: stored ? serverRecord(stored) : null,
        fields: Object.keys(event.data ?? {}),
      };
    } else {
      const next = write(event.table, event.recordId, event.data ?? {}, event.op === 'DELETE');
      result = { eventId: event.eventId, status: 'applied', version: next.version };
    }
    outcomes.set(event.eventId, { hash, result });
    return result;
  }

  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const path = url.pathname.endsWith('/push') ? 'push' : 'pull';
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const auth = new Headers(init?.headers).get('authorization');
    requests.push({ method: init?.method ?? 'GET', path, query: url.searchParams, body, auth });
    const index = failures.findIndex((f) => f.path === path || f.path === 'any');
    const failure = index >= 0 ? failures.splice(index, 1)[0]!.failure : undefined;
    if (failure === 'network') throw new TypeError('fetch failed');
    if (failure && failure !== 'drop_response') {
      return json(
        failure.status,
        { error: { code: failure.code, message: failure.code, details: {} } },
        failure.headers,
      );
    }
    let response: Response;
    if (path === 'push') {
      const request = body as PushRequest;
      const results = request.events.map((e) => apply(e as SyncEvent));
      response = json(200, { results, serverTime: '2026-01-01T00:00:00.000Z' });
    } else {
      const after = Number(url.searchParams.get('cursor') ?? 0);
      const limit = Number(url.searchParams.get('limit'));
      const wait = Number(url.searchParams.get('wait') ?? 0);
      const nothing = () => revoked.length === 0 && ![...records.values()].some((r) => r.seq > after);
      if (wait > 0 && state.holdWaits && nothing()) await hold(wait, init?.signal);
      const changed = [...records.values()].filter((r) => r.seq > after).sort((a, b) => a.seq - b.seq);
      const page = changed.slice(0, limit);
      const last = page.at(-1)?.seq ?? after;
      const answer: PullResponse = {
        changes: page.map((r) => ({
          table: r.table,
          recordId: r.id,
          op: r.deleted ? 'DELETE' : 'UPSERT',
          version: r.version,
          organizationId: String(r.data.organization_id ?? FAKE_ORG),
          data: serverRecord(r),
        })),
        cursor: String(last) as PullResponse['cursor'],
        hasMore: changed.length > page.length,
        revokedOrganizations: [...revoked],
      };
      response = json(200, answer);
    }
    // The server did the work; the answer is lost on the way back.
    if (failure === 'drop_response') throw new TypeError('socket hang up');
    return response;
  };

  const state: FakeSyncServer = {
    fetch: fetchImpl as typeof fetch,
    requests,
    records,
    revoked,
    write,
    failNext: (path, ...list) => {
      for (const failure of list) failures.push({ path, failure });
    },
    waiting: () => waiters.size,
    holdWaits: true,
  };
  return state;
}

/** `count` patients of FAKE_ORG written by someone else, family names `Boateng0`, `Boateng1`, …: pages to pull. */
export function writePatients(server: FakeSyncServer, count: number): void {
  for (let i = 0; i < count; i++)
    server.write('patients', `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`, {
      organization_id: FAKE_ORG,
      given_name: 'Kofi',
      family_name: `Boateng${i}`,
    });
}
