/**
 * In-process, on SQLite and PostgreSQL, with a fake clock: sign-in limits per
 * account and per address, refresh-token expiry, memberships in /v1/me and
 * the user look-up rules (PROTOCOL §1).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ServerConfig } from '../src/config.ts';
import { describeEachDialect } from './support/dialects.ts';
import { testApp } from './support/test-deps.ts';

const PASSWORD = 'long enough password';

async function harness(url: string, config: Partial<ServerConfig> = {}) {
  const { deps, app, close } = await testApp({ url, config: { trustProxy: true, signInMaxAttempts: 3, signInWindowSeconds: 600, ...config } });

  const request = async (method: string, path: string, options: { token?: string; body?: unknown; address?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': options.address ?? '203.0.113.1' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await app.request(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    return { status: res.status, body: (await res.json()) as any, headers: res.headers };
  };
  const register = async (name = 'U') => {
    const email = `u-${randomUUID()}@example.test`;
    const res = await request('POST', '/v1/auth/register', { body: { email, password: PASSWORD, name } });
    expect(res.status).toBe(201);
    return { email, userId: res.body.userId as string };
  };
  const signIn = (email: string, password: string, address?: string) =>
    request('POST', '/v1/auth/sign-in', { body: { email, password, deviceId: randomUUID(), deviceName: 'Desk' }, ...(address ? { address } : {}) });

  /** Writes synced rows directly, as an applied push would have. */
  const insertRow = async (table: 'organizations' | 'members', data: Record<string, unknown>) => {
    const id = randomUUID();
    await deps.db
      .insertInto(table)
      .values({ id, version: 1, updated_at: deps.clock.now().toISOString(), updated_by: randomUUID(), deleted: 0, field_versions: '{}', ...data } as never)
      .execute();
    return id;
  };
  const organization = (name: string, deleted = 0) => insertRow('organizations', { name, deleted });
  const member = (organizationId: string, userId: string, role: string, deleted = 0) =>
    insertRow('members', { organization_id: organizationId, user_id: userId, role, team_id: null, deleted });

  return { deps, request, register, signIn, organization, member, close };
}

describeEachDialect('account rules in-process', (dialect) => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeEach(async () => {
    h = await harness(await dialect.databaseUrl());
  });
  afterEach(() => h.close());

  it('counts concurrent guesses before checking them, so a burst gets no more tries than the limit', async () => {
    const { email } = await h.register();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => h.signIn(email, i === 11 ? PASSWORD : 'wrong password', `198.51.100.${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length + statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
  });

  it('limits registrations per address, leaving other addresses free, until the window passes', async () => {
    await h.close();
    h = await harness(await dialect.databaseUrl(), { registerMaxAttempts: 2, registerWindowSeconds: 600 });
    const attempt = (address: string) =>
      h.request('POST', '/v1/auth/register', { body: { email: `r-${randomUUID()}@example.test`, password: PASSWORD, name: 'R' }, address });
    expect((await attempt('203.0.113.7')).status).toBe(201);
    expect((await attempt('203.0.113.7')).status).toBe(201);
    const limited = await attempt('203.0.113.7');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attempt('203.0.113.8')).status).toBe(201);
    h.deps.clock.advance(601_000);
    expect((await attempt('203.0.113.7')).status).toBe(201);
  });

  it('limits failed sign-ins per account across addresses, with the remaining window in Retry-After', async () => {
    const { email } = await h.register();
    for (let i = 0; i < 3; i++) expect((await h.signIn(email, 'wrong password', `198.51.100.${i}`)).status).toBe(401);
    h.deps.clock.advance(100_000);
    const res = await h.signIn(email, PASSWORD, '198.51.100.99');
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('rate_limited');
    expect(res.headers.get('retry-after')).toBe('500');
    // When the window has passed, the right password works again.
    h.deps.clock.advance(500_000);
    expect((await h.signIn(email, PASSWORD, '198.51.100.99')).status).toBe(200);
  });

  it('limits failed sign-ins per address across accounts', async () => {
    const { email } = await h.register();
    for (let i = 0; i < 3; i++) expect((await h.signIn(`nobody-${i}@example.test`, 'wrong password', '192.0.2.7')).status).toBe(401);
    expect((await h.signIn(email, PASSWORD, '192.0.2.7')).status).toBe(429);
    expect((await h.signIn(email, PASSWORD, '192.0.2.8')).status).toBe(200);
  });

  it('clears the account counter on a successful sign-in', async () => {
    const { email } = await h.register();
    for (let i = 0; i < 2; i++) await h.signIn(email, 'wrong password', `198.51.100.${i}`);
    expect((await h.signIn(email, PASSWORD, '198.51.100.50')).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await h.signIn(email, 'wrong password', `198.51.100.${10 + i}`)).status).toBe(401);
    expect((await h.signIn(email, PASSWORD, '198.51.100.51')).status).toBe(200);
  });

  it('counts unknown emails like wrong passwords, so the limit reveals nothing', async () => {
    const ghost = `ghost-${randomUUID()}@example.test`;
    for (let i = 0; i < 3; i++) expect((await h.signIn(ghost, 'wrong password', `198.51.100.${i}`)).status).toBe(401);
    expect((await h.signIn(ghost, 'wrong password', '198.51.100.77')).status).toBe(429);
  });

  it('expires a session whose refresh token went unused for the refresh lifetime (401 token_expired)', async () => {
    const { email } = await h.register();
    const session = await h.signIn(email, PASSWORD);
    h.deps.clock.advance(29 * 24 * 3600_000);
    const rotated = await h.request('POST', '/v1/auth/refresh', { body: { refreshToken: session.body.refreshToken } });
    expect(rotated.status).toBe(200);
    // Rotation restarts the lifetime; letting the new one lapse ends the session.
    h.deps.clock.advance(30 * 24 * 3600_000);
    const res = await h.request('POST', '/v1/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
  });

  it('lets only one of two simultaneous refreshes with one token succeed, and then ends the session', async () => {
    const { email } = await h.register();
    const session = await h.signIn(email, PASSWORD);
    const body = { refreshToken: session.body.refreshToken };
    const results = await Promise.all([h.request('POST', '/v1/auth/refresh', { body }), h.request('POST', '/v1/auth/refresh', { body })]);
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.body.error?.code === 'token_revoked')).not.toHaveLength(0);
    for (const r of results.filter((r) => r.status === 200)) {
      expect((await h.request('GET', '/v1/me', { token: r.body.authToken })).body.error.code).toBe('token_revoked');
    }
  });

  it('issues refreshed auth tokens that expire 15 minutes after the refresh', async () => {
    const { email } = await h.register();
    const session = await h.signIn(email, PASSWORD);
    h.deps.clock.advance(20 * 60_000);
    expect((await h.request('GET', '/v1/me', { token: session.body.authToken })).body.error.code).toBe('token_expired');
    const rotated = await h.request('POST', '/v1/auth/refresh', { body: { refreshToken: session.body.refreshToken } });
    expect(rotated.body.authExpiresAt).toBe('2026-01-01T00:35:00.000Z');
    expect((await h.request('GET', '/v1/me', { token: rotated.body.authToken })).status).toBe(200);
  });

  it('lists live memberships of live organizations in /v1/me, from the database', async () => {
    const { email, userId } = await h.register('Ada');
    const session = await h.signIn(email, PASSWORD);
    const clinic = await h.organization('B Clinic');
    const ward = await h.organization('A Ward');
    const closed = await h.organization('Closed', 1);
    const left = await h.organization('Left');
    await h.member(clinic, userId, 'admin');
    await h.member(ward, userId, 'clinician');
    await h.member(closed, userId, 'admin');
    await h.member(left, userId, 'admin', 1);
    await h.member(clinic, randomUUID(), 'receptionist');
    const me = await h.request('GET', '/v1/me', { token: session.body.authToken });
    expect(me.body).toEqual({
      user: { id: userId, email, name: 'Ada' },
      organizations: [
        { id: ward, name: 'A Ward', role: 'clinician' },
        { id: clinic, name: 'B Clinic', role: 'admin' },
      ],
    });
  });
});
