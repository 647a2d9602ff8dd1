import { describe, expect, it } from 'vitest';
import { fakeClock } from './deps.ts';
import { createTransport, parseRetryAfter, type TransportOptions } from './transport.ts';

const DEVICE = '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e';
const clock = fakeClock('2026-01-01T00:00:00Z');
const push = { deviceId: DEVICE as never, schemaVersion: 1, events: [] };

function transport(fetchImpl: TransportOptions['fetch'], overrides: Partial<TransportOptions> = {}) {
  return createTransport({
    serverUrl: 'http://sync.test/base',
    getSyncToken: () => 'tok',
    fetch: fetchImpl,
    timeoutMs: 1_000,
    clock,
    ...overrides,
  });
}

const ok = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });

describe('transport', () => {
  it('sends the sync token as Bearer to the route under the base URL and checks the answer', async () => {
    let seen: { url: string; auth: string | null } | undefined;
    const t = transport(async (input, init) => {
      seen = { url: String(input), auth: new Headers(init?.headers).get('authorization') };
      return ok({ results: [], serverTime: '2026-01-01T00:00:00.000Z' });
    });
    const answer = await t.push(push, new AbortController().signal);
    expect(answer).toEqual({ ok: true, body: { results: [], serverTime: '2026-01-01T00:00:00.000Z' } });
    expect(seen).toEqual({ url: 'http://sync.test/base/v1/sync/push', auth: 'Bearer tok' });
  });

  it('puts the cursor in the pull query only when there is one', async () => {
    const urls: URL[] = [];
    const t = transport(async (input) => {
      urls.push(new URL(String(input)));
      return ok({ changes: [], cursor: 'c', hasMore: false, revokedOrganizations: [] });
    });
    await t.pull({ deviceId: DEVICE, cursor: null, limit: 10, schemaVersion: 1 }, new AbortController().signal);
    await t.pull({ deviceId: DEVICE, cursor: 'a+b', limit: 10, schemaVersion: 1 }, new AbortController().signal);
    expect(urls[0]!.searchParams.has('cursor')).toBe(false);
    expect(urls[1]!.searchParams.get('cursor')).toBe('a+b');
    expect(urls[1]!.searchParams.get('deviceId')).toBe(DEVICE);
  });

  it('reports the error code of a refused request and its Retry-After', async () => {
    const t = transport(
      async () =>
        new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down', details: {} } }), {
          status: 429,
          headers: { 'retry-after': '7' },
        }),
    );
    expect(await t.push(push, new AbortController().signal)).toEqual({
      ok: false,
      failure: { kind: 'http', status: 429, code: 'rate_limited', message: 'slow down', retryAfterMs: 7000 },
    });
  });

  it('tells a network error, a timeout and a stop apart', async () => {
    const down = transport(async () => {
      throw new TypeError('fetch failed');
    });
    expect((await down.push(push, new AbortController().signal)).ok).toBe(false);
    expect(await down.push(push, new AbortController().signal)).toMatchObject({ failure: { kind: 'network' } });

    // Like fetch: never answers, fails once its signal aborts (also if it already has).
    const hanging: TransportOptions['fetch'] = (_input, init) =>
      new Promise((_resolve, reject) => {
        const fail = () => reject(new DOMException('aborted', 'AbortError'));
        if (init!.signal!.aborted) fail();
        else init!.signal!.addEventListener('abort', fail);
      });
    expect(await transport(hanging, { timeoutMs: 10 }).push(push, new AbortController().signal)).toMatchObject({
      failure: { kind: 'timeout' },
    });
    const stopping = new AbortController();
    const pending = transport(hanging).push(push, stopping.signal);
    stopping.abort();
    expect(await pending).toMatchObject({ failure: { kind: 'aborted' } });
  });

  it('does not call the server without a token, or with an unreadable keyring', async () => {
    let calls = 0;
    const counting: TransportOptions['fetch'] = async () => {
      calls += 1;
      return ok({});
    };
    expect(
      await transport(counting, { getSyncToken: async () => null }).push(push, new AbortController().signal),
    ).toMatchObject({ failure: { kind: 'no_token' } });
    expect(
      await transport(counting, {
        getSyncToken: () => {
          throw new Error('keyring locked');
        },
      }).push(push, new AbortController().signal),
    ).toMatchObject({ failure: { kind: 'no_token' } });
    expect(calls).toBe(0);
  });

  it('refuses a 200 that does not match the protocol', async () => {
    expect(await transport(async () => ok({ nope: true })).push(push, new AbortController().signal)).toMatchObject({
      failure: { kind: 'invalid_response', status: 200 },
    });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120', clock)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', clock)).toBe(30_000);
    expect(parseRetryAfter('soon', clock)).toBeUndefined();
    expect(parseRetryAfter(null, clock)).toBeUndefined();
  });
});
