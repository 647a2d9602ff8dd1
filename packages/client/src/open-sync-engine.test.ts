import { join } from 'node:path';
import { SCHEMA_VERSION } from '@clinicsync/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_ORG, fakeSyncServer, type FakeSyncServer } from '../test/support/fake-sync-server.ts';
import { openSyncEngine } from './open-sync-engine.ts';
import type { SyncEngine, SyncEngineOptions } from './sync-engine.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

const engines: SyncEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

async function engineFor(server: FakeSyncServer, options: Partial<SyncEngineOptions> = {}): Promise<SyncEngine> {
  const engine = await openSyncEngine({
    dbPath: ':memory:',
    serverUrl: 'http://sync.test',
    getSyncToken: () => 'sync-token',
    fetch: server.fetch,
    appVersion: '1.2.3',
    random: () => 0,
    debounceMs: 10,
    intervalMs: 60_000,
    maxBackoffMs: 40,
    ...options,
  });
  engines.push(engine);
  return engine;
}

async function waitFor(condition: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const patient = (extra: Record<string, unknown> = {}) => ({
  organization_id: FAKE_ORG,
  given_name: 'Amina',
  family_name: 'Okafor',
  ...extra,
});

describe('a sync cycle', () => {
  it('pushes the outbox with its report, then pulls, and the row gets its server version', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    const row = engine.insert('patients', patient());
    await engine.syncNow();
    const push = server.requests.find((r) => r.path === 'push')!;
    expect(push.auth).toBe('Bearer sync-token');
    expect(push.body).toMatchObject({
      deviceId: engine.deviceId,
      schemaVersion: SCHEMA_VERSION,
      appVersion: '1.2.3',
      outbox: { pending: 1, openConflicts: 0, deadLetters: 0 },
    });
    expect(push.body.events).toMatchObject([{ op: 'INSERT', recordId: row.id, baseVersion: 0 }]);
    expect(server.requests.map((r) => r.path)).toEqual(['push', 'pull']);
    expect(engine.get('patients', row.id)).toMatchObject({ version: 1, updated_by: 'server-user' });
    expect(engine.status()).toMatchObject({ phase: 'idle', pending: 0, online: true });
    expect(engine.status().lastSyncAt).not.toBeNull();
  });

  it('sends an empty push as a heartbeat when nothing is queued', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    await engine.syncNow();
    expect(server.requests[0]).toMatchObject({
      path: 'push',
      body: { events: [], outbox: { pending: 0, oldestPendingAt: null } },
    });
  });

  it('pulls what others wrote, page after page', async () => {
    const server = fakeSyncServer();
    for (let i = 0; i < 5; i += 1)
      server.write('patients', `10000000-0000-4000-8000-00000000000${i}`, patient({ given_name: `P${i}` }));
    const engine = await engineFor(server, { pullLimit: 2 });
    const sizes: number[] = [];
    engine.subscribe((s) => s.initialSync && sizes.push(s.initialSync.received));
    await engine.syncNow();
    expect(engine.list('patients')).toHaveLength(5);
    expect(server.requests.filter((r) => r.path === 'pull')).toHaveLength(3);
    expect(sizes).toContain(4);
    expect(engine.status().initialSync).toBeUndefined();
  });

  it('retries an event whose answer was lost; the server applies it exactly once', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    const row = engine.insert('patients', patient());
    server.failNext('push', 'drop_response');
    await engine.syncNow();
    expect(engine.status()).toMatchObject({ phase: 'offline', pending: 1 });
    engine.update('patients', row.id, { phone: '1' });
    await engine.syncNow();
    expect(engine.status()).toMatchObject({ phase: 'idle', pending: 0, openConflicts: 0 });
    expect(server.records.get(`patients/${row.id}`)).toMatchObject({ version: 2, data: { phone: '1' } });
  });

  it('successive offline edits of one record do not conflict with each other', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    const row = engine.insert('patients', patient());
    for (let i = 0; i < 4; i += 1) engine.update('patients', row.id, { phone: String(i) });
    engine.delete('patients', row.id);
    await engine.syncNow();
    expect(engine.status()).toMatchObject({ pending: 0, openConflicts: 0, deadLetters: 0 });
    expect(server.records.get(`patients/${row.id}`)).toMatchObject({ version: 6, deleted: true, data: { phone: '3' } });
  });

  it('a concurrent change elsewhere becomes a conflict, never a silent overwrite', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    const row = engine.insert('patients', patient());
    await engine.syncNow();
    engine.update('patients', row.id, { given_name: 'Mine' });
    server.write('patients', row.id, { given_name: 'Theirs' });
    await engine.syncNow();
    expect(engine.conflicts()).toMatchObject([
      { recordId: row.id, changes: { given_name: 'Mine' }, server: { given_name: 'Theirs' } },
    ]);
    expect(engine.get('patients', row.id)).toMatchObject({ given_name: 'Theirs', version: 2 });
    engine.resolveConflict(engine.conflicts()[0]!.id, { kind: 'keep_mine' });
    await engine.syncNow();
    expect(server.records.get(`patients/${row.id}`)).toMatchObject({ version: 3, data: { given_name: 'Mine' } });
    expect(engine.status()).toMatchObject({ pending: 0, openConflicts: 0 });
  });

  it('a rejected event becomes a dead letter and the events behind it still go out', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    const refused = engine.insert('patients', patient({ notes: 'FORBIDDEN' }));
    const fine = engine.insert('patients', patient());
    await engine.syncNow();
    expect(engine.deadLetters()).toMatchObject([{ recordId: refused.id, code: 'forbidden' }]);
    expect(engine.get('patients', refused.id)).toBeUndefined();
    expect(engine.get('patients', fine.id)?.version).toBe(1);
    expect(engine.status()).toMatchObject({ pending: 0, deadLetters: 1 });
  });

  it('stops on 401 without losing anything, keeps writing, and resumes after sign-in', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    engine.insert('patients', patient());
    server.failNext('push', { status: 401, code: 'unauthorized' });
    engine.start();
    await waitFor(() => engine.status().phase === 'sign_in_required');
    expect(engine.status().lastError?.code).toBe('unauthorized');
    engine.insert('patients', patient());
    await new Promise((r) => setTimeout(r, 60));
    expect(server.requests).toHaveLength(1);
    expect(engine.status().pending).toBe(2);
    engine.resetForSignIn();
    await waitFor(() => engine.status().pending === 0 && engine.status().phase === 'idle');
  });

  it('on 401 token_revoked (the device was revoked) wipes the records, keeps unsent edits as dead letters and syncs afresh after sign-in', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    const synced = engine.insert('patients', patient({ given_name: 'Synced' }));
    await engine.syncNow();
    server.write('patients', '0c6f5a52-1b2d-4c3e-8f4a-5b6c7d8e9f01', {
      organization_id: FAKE_ORG,
      given_name: 'Pulled',
      family_name: 'Mensah',
    });
    await engine.syncNow();
    expect(engine.list('patients')).toHaveLength(2);
    const unsent = engine.insert('patients', patient({ given_name: 'Unsent' }));
    server.failNext('push', { status: 401, code: 'token_revoked' });
    await engine.syncNow();
    expect(engine.status()).toMatchObject({ phase: 'sign_in_required', pending: 0, deadLetters: 1 });
    expect(engine.list('patients')).toEqual([]);
    expect(engine.get('patients', synced.id)).toBeUndefined();
    const [dead] = engine.deadLetters();
    expect(dead).toMatchObject({ recordId: unsent.id, message: expect.stringMatching(/device was revoked/) });
    // Signed in again: everything the server has comes back; the refused edit waits in the dead letters.
    engine.resetForSignIn();
    await engine.syncNow();
    expect(
      engine
        .list('patients')
        .map((p) => p.given_name)
        .sort(),
    ).toEqual(['Pulled', 'Synced']);
    expect(engine.status().deadLetters).toBe(1);
  });

  it('asks for sign-in when there is no sync token', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server, { getSyncToken: async () => null });
    await engine.syncNow();
    expect(engine.status().phase).toBe('sign_in_required');
    expect(server.requests).toEqual([]);
  });

  it('on 426 shows upgrade_required and keeps queueing locally', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    server.failNext('push', { status: 426, code: 'schema_upgrade_required' });
    await engine.syncNow();
    expect(engine.status().phase).toBe('upgrade_required');
    engine.insert('patients', patient());
    expect(engine.status()).toMatchObject({ phase: 'upgrade_required', pending: 1 });
  });

  it('on 410 resyncs from the beginning and keeps unsent edits', async () => {
    const server = fakeSyncServer();
    const kept = server.write('patients', '10000000-0000-4000-8000-000000000001', patient()).id;
    const engine = await engineFor(server);
    await engine.syncNow();
    engine.update('patients', kept, { phone: 'unsent' });
    server.failNext('push', 'network');
    await engine.syncNow();
    server.failNext('pull', { status: 410, code: 'cursor_invalid' });
    await engine.syncNow();
    const pulls = server.requests.filter((r) => r.path === 'pull');
    expect(pulls.at(-1)!.query.get('cursor')).toBeNull();
    expect(engine.status()).toMatchObject({ phase: 'idle', pending: 0 });
    expect(server.records.get(`patients/${kept}`)?.data.phone).toBe('unsent');
  });
});

describe('stuck queues', () => {
  it('backs off and reports when a 200 answer leaves the oldest event unsettled, without hot-looping', async () => {
    let pushes = 0;
    const silent = (async (input: string | URL | Request) => {
      if (String(input).includes('/push')) pushes += 1;
      return new Response(JSON.stringify({ results: [], serverTime: '2026-01-01T00:00:00.000Z' }), { status: 200 });
    }) as typeof fetch;
    const engine = await engineFor(fakeSyncServer(), { fetch: silent });
    engine.insert('patients', patient());
    await engine.syncNow();
    expect(pushes).toBe(1);
    expect(engine.status()).toMatchObject({ phase: 'backoff', pending: 1, lastError: { code: 'invalid_response' } });
  });

  it('reports a pull whose cursor does not move', async () => {
    const server = fakeSyncServer();
    const frozen = (async (input: string | URL | Request, init?: RequestInit) => {
      if (String(input).includes('/pull')) {
        return new Response(JSON.stringify({ changes: [], cursor: 'same', hasMore: true, revokedOrganizations: [] }), {
          status: 200,
        });
      }
      return server.fetch(input, init);
    }) as typeof fetch;
    const engine = await engineFor(server, { fetch: frozen });
    await engine.syncNow();
    await engine.syncNow();
    expect(engine.status()).toMatchObject({ phase: 'backoff', lastError: { code: 'invalid_response' } });
  });
});

describe('the scheduler', () => {
  it('pushes a local write after the debounce, on its own', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    engine.start();
    await waitFor(() => engine.status().lastSyncAt !== null);
    engine.insert('patients', patient());
    engine.insert('patients', patient());
    await waitFor(() => engine.status().pending === 0);
    const pushes = server.requests.filter((r) => r.path === 'push');
    expect(pushes.at(-1)!.body.events).toHaveLength(2);
  });

  it('backs off on 5xx and network errors and keeps retrying by itself', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server);
    engine.insert('patients', patient());
    server.failNext('push', { status: 503, code: 'unavailable' }, 'network', { status: 500, code: 'internal' });
    const phases = new Set<string>();
    engine.subscribe((s) => phases.add(s.phase));
    engine.start();
    await waitFor(() => engine.status().pending === 0);
    expect(phases).toContain('backoff');
    expect(phases).toContain('offline');
    expect(server.requests.filter((r) => r.path === 'push').length).toBeGreaterThanOrEqual(4);
  });

  it('notifyOnline ends a long backoff at once', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server, { maxBackoffMs: 60_000 });
    engine.insert('patients', patient());
    server.failNext('push', 'network');
    engine.start();
    await waitFor(() => engine.status().phase === 'offline');
    await waitFor(() => server.requests.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(server.requests).toHaveLength(1);
    engine.notifyOnline();
    await waitFor(() => engine.status().pending === 0);
  });

  it('the interval timer syncs again on its own (heartbeat)', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server, { intervalMs: 20 });
    engine.start();
    await waitFor(() => server.requests.filter((r) => r.path === 'push').length >= 3);
  });

  it('stop() ends a wait at once and no request follows', async () => {
    const server = fakeSyncServer();
    const engine = await engineFor(server, { intervalMs: 60_000 });
    engine.start();
    await waitFor(() => engine.status().lastSyncAt !== null);
    const started = Date.now();
    await engine.stop();
    expect(Date.now() - started).toBeLessThan(500);
    const count = server.requests.length;
    engine.insert('patients', patient());
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests).toHaveLength(count);
  });
});

describe('the store across restarts', () => {
  it('keeps the device id, the outbox and the cursor in its file', async () => {
    const dir = tempDir('client');
    const server = fakeSyncServer();
    server.write('patients', '10000000-0000-4000-8000-000000000001', patient());
    const first = await openSyncEngine({
      dbPath: join(dir, 'store.sqlite'),
      serverUrl: 'http://sync.test',
      getSyncToken: () => 't',
      fetch: server.fetch,
    });
    await first.syncNow();
    first.insert('patients', patient());
    await first.close();
    const again = await engineFor(server, { dbPath: join(dir, 'store.sqlite') });
    expect(again.deviceId).toBe(first.deviceId);
    expect(again.status().pending).toBe(1);
    await again.syncNow();
    expect(server.requests.at(-1)!.query.get('cursor')).toBe('1');
  });
});
