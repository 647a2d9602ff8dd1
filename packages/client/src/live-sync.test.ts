/**
 * Live sync in the engine (PROTOCOL §4 "Live"): between cycles a started
 * engine keeps a waiting pull open and applies what arrives; local writes,
 * syncNow and stop end the wait; a waiting pull that fails or comes back
 * early leads to the timer and backoff, never to a loop of requests. The
 * fake server holds waiting pulls as the real one does (until a write or the
 * time asked), so "is waiting" is a fact we read, not a duration we guess.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_ORG, fakeSyncServer, type FakeSyncServer } from '../test/support/fake-sync-server.ts';
import { openSyncEngine } from './open-sync-engine.ts';
import type { SyncEngine, SyncEngineOptions } from './sync-engine.ts';

const engines: SyncEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

/** An engine with the default scheduling options: only the server and the randomness are the test's. */
async function engineFor(server: FakeSyncServer, options: Partial<SyncEngineOptions> = {}): Promise<SyncEngine> {
  const engine = await openSyncEngine({
    dbPath: ':memory:',
    serverUrl: 'http://sync.test',
    getSyncToken: () => 'sync-token',
    fetch: server.fetch,
    random: () => 0,
    ...options,
  });
  engines.push(engine);
  return engine;
}

async function waitFor(what: string, condition: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const patient = (extra: Record<string, unknown> = {}) => ({
  organization_id: FAKE_ORG,
  given_name: 'Amina',
  family_name: 'Okafor',
  ...extra,
});
const OTHER_PATIENT = '20000000-0000-4000-8000-000000000001';
const pulls = (server: FakeSyncServer) => server.requests.filter((r) => r.path === 'pull');

describe('live sync', () => {
  it("keeps a waiting pull open by default and applies a colleague's change as soon as the server has it", async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    engine.start();
    await waitFor('the engine waits live', () => server.waiting() === 1);
    expect(pulls(server).at(-1)!.query.get('wait')).toBe('25');

    const before = server.requests.length;
    server.write('patients', OTHER_PATIENT, patient({ given_name: 'Bola' }));
    await waitFor('the change is in the store', () => engine.get('patients', OTHER_PATIENT) !== undefined);
    expect(engine.get('patients', OTHER_PATIENT)).toMatchObject({ given_name: 'Bola', version: 1 });
    // The waiting pull itself brought the row: what follows is the next waiting pull, no push and no plain pull.
    expect(server.requests.slice(before).every((r) => r.path === 'pull' && r.query.get('wait') !== null)).toBe(true);
    expect(engine.status().lastPullAt).not.toBeNull();
    await waitFor('the engine waits live again', () => server.waiting() === 1);
  });

  it('a local write ends the wait, goes out at once on its own, and the engine waits again', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    engine.start();
    await waitFor('the engine waits live', () => server.waiting() === 1);
    const row = engine.insert('patients', patient());
    await waitFor('the write is on the server', () => server.records.has(`patients/${row.id}`));
    await waitFor('the engine waits live again', () => server.waiting() === 1);
    expect(engine.status().pending).toBe(0);
  });

  it('a burst of writes is sent in few pushes, not one per write', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    engine.start();
    await waitFor('the engine waits live', () => server.waiting() === 1);
    const pushesBefore = server.requests.filter((r) => r.path === 'push').length;
    for (let i = 0; i < 50; i++) engine.insert('patients', patient({ phone: String(i) }));
    await waitFor('the burst is on the server', () => engine.status().pending === 0);
    const pushes = server.requests.filter((r) => r.path === 'push').slice(pushesBefore);
    expect(pushes.length).toBeLessThanOrEqual(3);
    expect(pushes.reduce((n, p) => n + p.body.events.length, 0)).toBe(50);
  });

  it('syncNow runs a cycle at once during a wait, then waits live again', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    engine.start();
    await waitFor('the engine waits live', () => server.waiting() === 1);
    const before = server.requests.length;
    await engine.syncNow();
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['push', 'pull']);
    expect(server.requests.slice(before)[1]!.query.get('wait')).toBeNull();
    await waitFor('the engine waits live again', () => server.waiting() === 1);
  });

  it('stop() ends the waiting pull at once', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    engine.start();
    await waitFor('the engine waits live', () => server.waiting() === 1);
    await engine.stop();
    expect(server.waiting()).toBe(0);
  });

  it('does not loop against a server that answers waiting pulls at once', async () => {
    const server = fakeSyncServer();
    server.holdWaits = false;
    const engine = await engineFor(server);
    engine.start();
    await waitFor('a waiting pull was tried', () => pulls(server).some((r) => r.query.get('wait') !== null));
    await new Promise((r) => setTimeout(r, 300));
    // After the early answer the engine waits a backoff step (at least half a second) before anything else.
    expect(server.requests.length).toBeLessThanOrEqual(3);
    expect(engine.status().phase).toBe('idle');
  });

  it('falls back to the timer and backoff when a waiting pull fails, then waits live again', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    engine.start();
    await waitFor('the engine waits live', () => server.waiting() === 1);
    // The held request is cut (a proxy, a dropped connection): the next waiting pull fails too.
    server.failNext('pull', 'network');
    server.write('patients', OTHER_PATIENT, patient());
    await waitFor('the change is in the store', () => engine.get('patients', OTHER_PATIENT) !== undefined);
    const failedAt = server.requests.length;
    await waitFor('a normal cycle ran and the engine waits live again', () => server.waiting() === 1, 10_000);
    expect(server.requests.slice(failedAt).map((r) => r.path)).toContain('push');
  });

  it('waits out Retry-After when the server refuses a waiting pull', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    engine.start();
    await waitFor('the engine waits live', () => server.waiting() === 1);
    // The held pull answers with the change; the next waiting pull is refused with a long Retry-After.
    server.failNext('pull', { status: 429, code: 'rate_limited', headers: { 'retry-after': '3600' } });
    const count = server.requests.length;
    server.write('patients', OTHER_PATIENT, patient());
    await waitFor('the change is in the store', () => engine.get('patients', OTHER_PATIENT) !== undefined);
    await waitFor('the refused waiting pull was sent', () => server.requests.length === count + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requests.length).toBe(count + 1);
    expect(server.waiting()).toBe(0);
    expect(engine.status().phase).toBe('idle');
  });

  it('liveWaitSeconds: 0 keeps only the timer', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server, { liveWaitSeconds: 0 });
    engine.start();
    await waitFor('the first sync ran', () => engine.status().lastSyncAt !== null);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.waiting()).toBe(0);
    expect(pulls(server).every((r) => r.query.get('wait') === null)).toBe(true);
  });
});
