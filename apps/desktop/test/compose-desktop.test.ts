import { afterEach, describe, expect, it } from 'vitest';
import { composeDesktop, type ComposedDesktop } from '../src/server/compose-desktop.ts';
import { drawLaunchAccess, launchCookieHeader } from '../src/server/launch-access.ts';
import { PAGE_KEY_HEADER } from '../src/shared/page-key.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

const ACCESS = drawLaunchAccess((bytes) => 'test-launch-value-'.padEnd(bytes + 11, '0'));
const USER = { id: '11111111-1111-4111-8111-111111111111', email: 'ada@example.org', name: 'Ada' };
const OTHER_ORG = '99999999-9999-4999-8999-999999999999';

type PushedEvent = { table: string; op: string; data: Record<string, unknown> | null; eventId: string };

/** Just enough of the sync server: sign-in, and push/pull that accept everything. */
function fakeServer() {
  const pushes: PushedEvent[][] = [];
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    switch (url.pathname) {
      case '/v1/auth/sign-in':
        return json({
          user: USER,
          authToken: 'auth',
          authExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
          refreshToken: 'refresh',
          syncToken: 'sync',
        });
      case '/v1/sync/push': {
        const body = JSON.parse(String(init?.body)) as { events: PushedEvent[] };
        if (body.events.length > 0) pushes.push(body.events);
        return json({
          results: body.events.map((e) => ({ eventId: e.eventId, status: 'applied', version: 1 })),
          serverTime: new Date().toISOString(),
        });
      }
      case '/v1/sync/pull':
        return json({ changes: [], cursor: 'c1', hasMore: false, revokedOrganizations: [] });
      default:
        return json({ error: { code: 'not_found', message: 'no', details: {} } }, 404);
    }
  }) as typeof globalThis.fetch;
  return { fetch, pushes };
}

const opened: ComposedDesktop[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.sync.close();
});

async function signedIn() {
  const server = fakeServer();
  const desktop = composeDesktop({
    serverUrl: 'http://sync.test',
    dataDir: tempDir('compose'),
    env: { CLINICSYNC_TOKEN_STORE: 'file' },
    port: () => 5173,
    access: ACCESS,
    assets: { page: '<html></html>', files: new Map(), built: false },
    fetch: server.fetch,
    storePath: () => ':memory:',
    syncIntervalMs: 60_000,
    log: () => {},
  });
  opened.push(desktop);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await desktop.app.request(path, {
      method,
      headers: {
        host: '127.0.0.1:5173',
        cookie: launchCookieHeader(5173, ACCESS.secret),
        [PAGE_KEY_HEADER]: ACCESS.pageKey,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  expect((await call('POST', '/api/session/sign-in', { email: USER.email, password: 'pw' })).status).toBe(200);
  return { desktop, server, call, engine: desktop.sync.engineFor(USER.id)! };
}

describe('desktop local API over the local store', () => {
  it('creates an organization as one batch: the organization, its creator as admin, then the first team', async () => {
    const { call, server } = await signedIn();
    const created = await call('POST', '/api/orgs', { name: 'Sunrise Clinic', teamName: 'Outpatients' });
    expect(created.status).toBe(201);
    await expect.poll(() => server.pushes.length, { timeout: 5000 }).toBeGreaterThan(0);
    const batch = server.pushes[0]!;
    expect(batch.map((e) => `${e.op} ${e.table}`)).toEqual(['INSERT organizations', 'INSERT members', 'INSERT teams']);
    expect(batch[1]!.data).toEqual({ organization_id: created.body.organization.id, user_id: USER.id, role: 'admin' });
    expect((await call('GET', '/api/orgs')).body).toEqual([
      { id: created.body.organization.id, name: 'Sunrise Clinic', role: 'admin' },
    ]);
  });

  it('refuses to write into an organization the user is not a member of, and queues nothing', async () => {
    const { call, engine } = await signedIn();
    const res = await call('POST', '/api/records/patients', {
      data: { organization_id: OTHER_ORG, given_name: 'Eve', family_name: 'Mallory' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(engine.status().pending).toBe(0);
  });

  it('answers invalid data with the failing paths and codes only, never the values', async () => {
    const { call } = await signedIn();
    const org = (await call('POST', '/api/orgs', { name: 'Sunrise', teamName: 'A' })).body.organization.id;
    const res = await call('POST', '/api/records/patients', {
      data: { organization_id: org, given_name: '', family_name: 'Bello', birth_date: '1990-02-30' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'birth_date',
      'given_name',
    ]);
    expect(JSON.stringify(res.body)).not.toContain('Bello');
    expect(JSON.stringify(res.body)).not.toContain('1990-02-30');
  });

  it('never serves rows of an organization the user is not a member of', async () => {
    const { call, engine } = await signedIn();
    const org = (await call('POST', '/api/orgs', { name: 'Sunrise', teamName: 'A' })).body.organization.id;
    const mine = (
      await call('POST', '/api/records/patients', {
        data: { organization_id: org, given_name: 'Amina', family_name: 'Bello' },
      })
    ).body;
    // A row of a foreign organization in the store (e.g. left from a revoked membership).
    const foreign = engine.insert('patients', {
      organization_id: OTHER_ORG,
      given_name: 'Eve',
      family_name: 'Mallory',
    });
    const list = await call('GET', '/api/records/patients');
    expect(list.body.map((r: { id: string }) => r.id)).toEqual([mine.id]);
    expect((await call('GET', `/api/records/patients/${foreign.id}`)).status).toBe(403);
    expect((await call('PATCH', `/api/records/patients/${foreign.id}`, { data: { phone: '1' } })).status).toBe(403);
    expect((await call('GET', `/api/orgs/${OTHER_ORG}/patients`)).status).toBe(403);
  });

  it('hides patient data once the app is locked, while the feed still reports sync', async () => {
    const { call } = await signedIn();
    await call('POST', '/api/session/lock');
    const res = await call('GET', '/api/orgs');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
    const feed = await call('GET', '/api/feed?after=0');
    expect(feed.body.session).toEqual({ state: 'expired', user: USER });
    expect(feed.body.sync.phase).not.toBe('sign_in_required');
  });
});
