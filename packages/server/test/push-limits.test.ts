/**
 * Cheap refusal first (docs/security.md): an event with hundreds of
 * thousands of unknown keys is refused per event without being hashed or
 * validated in depth, and one person's concurrent pushes beyond their slots
 * answer `429 rate_limited` before their bodies are read. In-process, on
 * SQLite and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from './support/dialects.ts';
import { testApp } from './support/test-deps.ts';

describeEachDialect('push limits in-process', (dialect) => {
  let h: Awaited<ReturnType<typeof testApp>>;
  let session: { deviceId: string; syncToken: string };
  beforeEach(async () => {
    h = await testApp({ url: await dialect.databaseUrl(), config: { maxConcurrentPushesPerUser: 1 } });
    const email = `u-${randomUUID()}@example.test`;
    await h.app.request('/v1/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'long enough password', name: 'U' }),
    });
    const deviceId = randomUUID();
    const signedIn = await h.app.request('/v1/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'long enough password', deviceId, deviceName: 'Desk' }),
    });
    session = { deviceId, syncToken: ((await signedIn.json()) as { syncToken: string }).syncToken };
  });
  afterEach(() => h.close());

  const pushText = (body: string) =>
    h.app.request('/v1/sync/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.syncToken}` },
      body,
    });
  const bodyOf = (events: unknown[]) => JSON.stringify({ deviceId: session.deviceId, schemaVersion: 1, events });
  const push = (events: unknown[]) => pushText(bodyOf(events));

  it('refuses a push whose event has 300,000 unknown keys before parsing it (400), and one with 100 per event', async () => {
    const data: Record<string, number> = {};
    for (let i = 0; i < 300_000; i++) data[`k${i}`] = i;
    const huge = {
      eventId: randomUUID(),
      table: 'patients',
      op: 'INSERT',
      recordId: randomUUID(),
      baseVersion: 0,
      data,
    };
    const text = bodyOf([huge]);
    const started = performance.now();
    const res = await pushText(text);
    const ms = performance.now() - started;
    // What building the object would have cost, on this machine now.
    const parseStarted = performance.now();
    JSON.parse(text);
    const parseMs = performance.now() - parseStarted;
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_request', details: { issues: [{ path: '(root)', code: 'too_many_keys' }] } },
    });
    // One pass over the text costs well under what building the object does (it used to cost about a second of CPU).
    expect(ms).toBeLessThan(parseMs);

    // Past any table's columns but not absurd: refused per event, the event beside it processed, nothing remembered.
    const wide = {
      ...huge,
      eventId: randomUUID(),
      data: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])),
    };
    const fine = {
      eventId: randomUUID(),
      table: 'organizations',
      op: 'UPDATE',
      recordId: randomUUID(),
      baseVersion: 1,
      data: { name: 'x' },
    };
    const body = (await (await push([wide, fine])).json()) as { results: { status: string; code?: string }[] };
    expect(body.results.map((r) => r.code)).toEqual(['invalid_event', 'not_found']);
    const again = (await (await push([wide])).json()) as { results: { status: string; code?: string }[] };
    expect(again.results).toMatchObject([{ status: 'rejected', code: 'invalid_event' }]);
  });

  it('refuses deeply nested data per event', async () => {
    let nested: unknown = 'leaf';
    for (let i = 0; i < 10; i++) nested = { deeper: nested };
    const res = await push([
      {
        eventId: randomUUID(),
        table: 'patients',
        op: 'INSERT',
        recordId: randomUUID(),
        baseVersion: 0,
        data: { notes: nested },
      },
    ]);
    expect(((await res.json()) as { results: { code?: string }[] }).results[0]?.code).toBe('invalid_event');
  });

  it("answers a person's pushes beyond their concurrent slots with 429 and Retry-After, and serves them again after", async () => {
    const batch = Array.from({ length: 500 }, () => ({
      eventId: randomUUID(),
      table: 'patients',
      op: 'UPDATE',
      recordId: randomUUID(),
      baseVersion: 1,
      data: { phone: '1' },
    }));
    const answers = await Promise.all(Array.from({ length: 4 }, () => push(batch)));
    const statuses = answers.map((a) => a.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);
    const limited = answers.find((a) => a.status === 429)!;
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await push([])).status).toBe(200);
  });
});
