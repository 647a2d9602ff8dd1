/**
 * In-process, on SQLite and PostgreSQL, with a fake clock: sign-in throttling
 * as an attacker meets it (docs/security.md "Sign-in throttling"),
 * registration limits, refresh-token expiry and memberships in /v1/me
 * (PROTOCOL §1).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ServerConfig } from '../src/config.ts';
import { describeEachDialect } from './support/dialects.ts';
import { testApp } from './support/test-deps.ts';

const PASSWORD = 'long enough password';
/** Small numbers so a test reaches every stage: 3 free per account and address, 5 per account, 8 per address. */
const THROTTLE = {
  signInFreeFailures: 3,
  signInAccountFreeFailures: 5,
  signInAddressFreeFailures: 8,
  signInMaxDelaySeconds: 60,
  signInWideMaxDelaySeconds: 900,
  signInForgetAfterSeconds: 3600,
};

async function harness(url: string, config: Partial<ServerConfig> = {}) {
  const { deps, app, close } = await testApp({ url, config: { trustProxy: true, ...THROTTLE, ...config } });

  const request = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; address?: string } = {},
  ) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-forwarded-for': options.address ?? '203.0.113.1',
    };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await app.request(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return { status: res.status, body: (await res.json()) as any, headers: res.headers };
  };
  const register = async (name = 'U') => {
    const email = `u-${randomUUID()}@example.test`;
    const res = await request('POST', '/v1/auth/register', { body: { email, password: PASSWORD, name } });
    expect(res.status).toBe(201);
    return { email, userId: res.body.userId as string };
  };
  const signIn = (email: string, password: string, address?: string, deviceId: string = randomUUID()) =>
    request('POST', '/v1/auth/sign-in', {
      body: { email, password, deviceId, deviceName: 'Desk' },
      ...(address ? { address } : {}),
    });

  /** Writes synced rows directly, as an applied push would have. */
  const insertRow = async (table: 'organizations' | 'members', data: Record<string, unknown>) => {
    const id = randomUUID();
    await deps.db
      .insertInto(table)
      .values({
        id,
        version: 1,
        updated_at: deps.clock.now().toISOString(),
        updated_by: randomUUID(),
        deleted: 0,
        field_versions: '{}',
        ...data,
      } as never)
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

  it('counts concurrent guesses before checking them, so a burst gets no more tries than sequential guessing would', async () => {
    const { email } = await h.register();
    // Every guess wrong, as an attacker's are: a right password would clear the account's failures (its owner
    // proved it), and the guesses counted after that clearing would rightly start over.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => h.signIn(email, 'wrong password', `198.51.100.${i}`)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // The free failures, and the one attempt that comes before the first wait is set.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(THROTTLE.signInAccountFreeFailures + 1);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(
      12 - THROTTLE.signInAccountFreeFailures - 1,
    );
  });

  it('limits registrations per address, leaving other addresses free, until the window passes', async () => {
    await h.close();
    h = await harness(await dialect.databaseUrl(), { registerMaxAttempts: 2, registerWindowSeconds: 600 });
    const attempt = (address: string) =>
      h.request('POST', '/v1/auth/register', {
        body: { email: `r-${randomUUID()}@example.test`, password: PASSWORD, name: 'R' },
        address,
      });
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

  it('lets colleagues behind one address sign in at the same moment, none refused for the race', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, () => h.register()));
    const answers = await Promise.all(people.map((p) => h.signIn(p.email, PASSWORD, '203.0.113.44')));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
  });

  it('lets colleagues behind the same address sign in after ten wrong passwords from it', async () => {
    const victim = await h.register();
    const colleague = await h.register();
    const nat = '203.0.113.9';
    for (let i = 0; i < 10; i++)
      expect([401, 429]).toContain((await h.signIn(victim.email, 'wrong password', nat)).status);
    expect((await h.signIn(colleague.email, PASSWORD, nat)).status).toBe(200);
  });

  it('never delays the owner on a device that signed in before, whatever others tried', async () => {
    const owner = await h.register();
    const laptop = randomUUID();
    expect((await h.signIn(owner.email, PASSWORD, '203.0.113.20', laptop)).status).toBe(200);
    // An attacker guesses from the same clinic address and from many others until they are made to wait.
    let limited = 0;
    for (let i = 0; i < 20; i++)
      if ((await h.signIn(owner.email, 'wrong password', i % 2 ? '203.0.113.20' : `198.51.100.${i}`)).status === 429)
        limited++;
    expect(limited).toBeGreaterThan(0);
    expect((await h.signIn(owner.email, PASSWORD, '203.0.113.20', laptop)).status).toBe(200);
    // A known device has a bucket of its own: guessing on it (its id leaked, say) waits too.
    for (let i = 0; i < THROTTLE.signInFreeFailures; i++)
      expect((await h.signIn(owner.email, 'wrong password', '198.51.100.200', laptop)).status).toBe(401);
    expect((await h.signIn(owner.email, 'wrong password', '198.51.100.200', laptop)).status).toBe(401);
    expect((await h.signIn(owner.email, PASSWORD, '198.51.100.200', laptop)).status).toBe(429);
  });

  it('makes each failure past the free ones from one address wait twice as long, up to the ceiling, never for good', async () => {
    const { email } = await h.register();
    const address = '203.0.113.30';
    for (let i = 0; i < THROTTLE.signInFreeFailures; i++)
      expect((await h.signIn(email, 'wrong password', address)).status).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      expect((await h.signIn(email, 'wrong password', address)).status).toBe(401);
      const limited = await h.signIn(email, PASSWORD, address);
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('rate_limited');
      waits.push(Number(limited.headers.get('retry-after')));
      h.deps.clock.advance(waits.at(-1)! * 1000);
    }
    expect(waits.slice(0, 7)).toEqual([1, 2, 4, 8, 16, 32, 60]);
    // The account-wide bucket (5 free) joined in after 5 failures: its own waits are in the answer once longer.
    expect(Math.max(...waits)).toBeLessThanOrEqual(900);
    h.deps.clock.advance(900_000);
    expect((await h.signIn(email, PASSWORD, address)).status).toBe(200);
  });

  it('slows guessing one account from many addresses, and a right password then starts its buckets over', async () => {
    const { email } = await h.register();
    for (let i = 0; i < THROTTLE.signInAccountFreeFailures; i++)
      expect((await h.signIn(email, 'wrong password', `198.51.100.${i}`)).status).toBe(401);
    expect((await h.signIn(email, 'wrong password', '198.51.100.50')).status).toBe(401);
    const limited = await h.signIn(email, PASSWORD, '198.51.100.51');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBe(1);
    h.deps.clock.advance(1000);
    expect((await h.signIn(email, PASSWORD, '198.51.100.51')).status).toBe(200);
    for (let i = 0; i < THROTTLE.signInAccountFreeFailures; i++)
      expect((await h.signIn(email, 'wrong password', `198.51.100.${100 + i}`)).status).toBe(401);
  });

  it('slows one address guessing many accounts, but not the known devices behind it', async () => {
    const { email } = await h.register();
    const desk = randomUUID();
    expect((await h.signIn(email, PASSWORD, '192.0.2.7', desk)).status).toBe(200);
    for (let i = 0; i < THROTTLE.signInAddressFreeFailures; i++)
      expect((await h.signIn(`nobody-${i}@example.test`, 'wrong password', '192.0.2.7')).status).toBe(401);
    expect((await h.signIn('nobody-x@example.test', 'wrong password', '192.0.2.7')).status).toBe(401);
    expect((await h.signIn(email, PASSWORD, '192.0.2.7')).status).toBe(429);
    expect((await h.signIn(email, PASSWORD, '192.0.2.7', desk)).status).toBe(200);
    expect((await h.signIn(email, PASSWORD, '192.0.2.8')).status).toBe(200);
  });

  it('counts unknown emails like wrong passwords, so the throttle reveals nothing', async () => {
    const ghost = `ghost-${randomUUID()}@example.test`;
    const real = (await h.register()).email;
    const answers = async (email: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < THROTTLE.signInAccountFreeFailures + 2; i++)
        statuses.push((await h.signIn(email, 'wrong password', `198.51.100.${i}`)).status);
      return statuses;
    };
    expect(await answers(ghost)).toEqual(await answers(real));
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
    const results = await Promise.all([
      h.request('POST', '/v1/auth/refresh', { body }),
      h.request('POST', '/v1/auth/refresh', { body }),
    ]);
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
