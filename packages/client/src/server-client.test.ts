import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { fakeClock } from './deps.ts';
import { createServerClient } from './server-client.ts';

const clock = fakeClock('2026-01-01T00:00:00Z');

function client(
  answer: (url: string, init: RequestInit) => Response | Promise<Response>,
  serverUrl = 'http://sync.test',
) {
  return createServerClient({
    serverUrl,
    fetch: async (input, init) => answer(String(input), init ?? {}),
    timeoutMs: 1_000,
    clock,
  });
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

/** A client whose clock offsets are collected. */
function clockWatchingClient(fetch: (input: URL | RequestInfo) => Promise<Response>) {
  const offsets: number[] = [];
  const c = createServerClient({
    serverUrl: 'http://sync.test',
    timeoutMs: 1_000,
    clock,
    onClockOffset: (offset) => offsets.push(offset),
    fetch,
  });
  return { c, offsets };
}

describe('the server client', () => {
  it('tells how far this clock is from the server’s, from each answer’s Date header, failures too', async () => {
    const { c, offsets } = clockWatchingClient(async (input) => {
      // A server whose clock says 20 minutes before this device's, then one that says none.
      if (String(input).endsWith('/none')) return json({});
      const date = new Date(clock.now().getTime() - 20 * 60_000).toUTCString();
      return new Response('{"error":{"code":"internal","message":"x"}}', { status: 500, headers: { date } });
    });
    await c.send({ method: 'GET', path: 'v1/me' }, null);
    await c.send({ method: 'GET', path: 'none' }, null);
    expect(offsets).toHaveLength(1);
    expect(Math.abs(offsets[0]! - 20 * 60_000)).toBeLessThanOrEqual(1_000);
  });

  it('does not read the clock from an answer a cache kept: its Date is when the server wrote it, not now', async () => {
    const { c, offsets } = clockWatchingClient(async () => {
      // A proxy's cache answers with what the server said 20 minutes ago (RFC 9111 §5.1: Age).
      const date = new Date(clock.now().getTime() - 20 * 60_000).toUTCString();
      return new Response('{}', { status: 200, headers: { date, age: '1200' } });
    });
    await c.send({ method: 'GET', path: 'v1/me' }, null);
    expect(offsets).toEqual([]);
  });

  it('resolves paths under the server URL, with or without a leading slash, prefix kept', async () => {
    const urls: string[] = [];
    const c = client((url) => {
      urls.push(url);
      return json({});
    }, 'http://sync.test/clinic');
    await c.send({ method: 'GET', path: '/v1/me' }, null);
    await c.send({ method: 'GET', path: 'v1/me' }, null);
    expect(urls).toEqual(['http://sync.test/clinic/v1/me', 'http://sync.test/clinic/v1/me']);
  });

  it('sends the token and a JSON body only when given', async () => {
    const seen: Headers[] = [];
    const c = client((_url, init) => {
      seen.push(new Headers(init.headers));
      return json({ a: 1 });
    });
    expect(
      await c.send({ method: 'POST', path: 'x', token: 't', body: { b: 2 } }, z.object({ a: z.number() })),
    ).toEqual({
      ok: true,
      body: { a: 1 },
    });
    await c.send({ method: 'GET', path: 'x' }, null);
    expect([seen[0]!.get('authorization'), seen[0]!.get('content-type')]).toEqual(['Bearer t', 'application/json']);
    expect([seen[1]!.get('authorization'), seen[1]!.get('content-type')]).toEqual([null, null]);
  });

  it("passes on a protocol error body's code, sentence and details", async () => {
    const c = client(() =>
      json(
        { error: { code: 'email_taken', message: 'Taken.', details: { issues: [{ path: 'email', code: 'x' }] } } },
        409,
      ),
    );
    expect(await c.send({ method: 'POST', path: 'x' }, null)).toEqual({
      ok: false,
      failure: {
        kind: 'http',
        status: 409,
        code: 'email_taken',
        message: 'Taken.',
        details: { issues: [{ path: 'email', code: 'x' }] },
      },
    });
  });

  it('says an answer that is not a protocol error was not understood, and keeps its status', async () => {
    for (const body of [
      '<html>Bad gateway</html>',
      JSON.stringify({ error: { code: 'made_up', message: 'm', details: {} } }),
    ]) {
      const answer = await client(() => new Response(body, { status: 502 })).send({ method: 'GET', path: 'x' }, null);
      expect(answer).toEqual({
        ok: false,
        failure: {
          kind: 'http',
          status: 502,
          code: 'unknown',
          message: 'The server answered in an unexpected way (HTTP 502).',
        },
      });
    }
  });
});
