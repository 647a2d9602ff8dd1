import type { User } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { fakeClock } from './desktop-deps.ts';
import type { RemoteApi, RemoteResult } from './remote-api.ts';
import { createUiSession } from './ui-session.ts';

const USER = { id: '11111111-1111-4111-8111-111111111111', email: 'ada@example.org', name: 'Ada' } as User;
const START = '2026-03-01T09:00:00.000Z';

function setup() {
  const clock = fakeClock(START);
  const calls: string[] = [];
  const adopted: string[] = [];
  let refreshAnswer: RemoteResult<{ authToken: string; authExpiresAt: string; refreshToken: string }> | null = null;
  let serverDown = false;
  const remembered = new Map<string, string>();
  const openedOffline: string[] = [];
  const unlocked: string[] = [];
  const inMinutes = (m: number) => new Date(clock.now().getTime() + m * 60_000).toISOString();
  const remote = {
    signIn: async () => {
      calls.push('sign-in');
      if (serverDown) return { kind: 'unreachable' };
      return {
        kind: 'ok',
        value: {
          user: USER,
          authToken: 'auth-1',
          authExpiresAt: inMinutes(15),
          refreshToken: 'refresh-1',
          syncToken: 'sync-1',
        },
      };
    },
    refresh: async (token: string) => {
      calls.push(`refresh:${token}`);
      return (
        refreshAnswer ?? {
          kind: 'ok',
          value: { authToken: 'auth-2', authExpiresAt: inMinutes(15), refreshToken: 'refresh-2' },
        }
      );
    },
    signOut: async (token: string) => {
      calls.push(`sign-out:${token}`);
      return { kind: 'ok', value: undefined };
    },
  } as unknown as RemoteApi;
  const session = createUiSession({
    remote,
    clock,
    device: () => ({ deviceId: '22222222-2222-4222-8222-222222222222', deviceName: 'Front desk' }),
    handover: {
      adopt: async (_user, token) => void adopted.push(token),
      openOffline: async (user) => void openedOffline.push(user.id),
    },
    offline: {
      remember: async (email, _user, password) => void remembered.set(email, password),
      verify: async (email, password) => (remembered.get(email) === password ? USER : null),
    },
    storeKeys: {
      unlockOnline: async (userId) => void unlocked.push(`online:${userId}`) as never,
      unlockOffline: async (userId, password) => {
        unlocked.push(`offline:${userId}`);
        return remembered.get(USER.email) === password;
      },
    },
    onChange: () => {},
  });
  return {
    session,
    unlocked,
    clock,
    calls,
    adopted,
    openedOffline,
    setRefresh: (r: typeof refreshAnswer) => (refreshAnswer = r),
    setServerDown: (down: boolean) => (serverDown = down),
  };
}

describe('UI session', () => {
  it('signs in, hands the sync token to background sync and never shows a token to the page', async () => {
    const { session, adopted } = setup();
    const outcome = await session.signIn('ada@example.org', 'pw');
    expect(outcome.kind).toBe('signed_in');
    expect(adopted).toEqual(['sync-1']);
    expect(JSON.stringify(session.view())).not.toMatch(/auth-1|refresh-1|sync-1/);
    expect(session.view()).toEqual({
      state: 'active',
      user: USER,
      expiresAt: '2026-03-01T09:15:00.000Z',
      offline: false,
    });
  });

  it('ends when the auth token runs out, without asking the server', async () => {
    const { session, clock } = setup();
    await session.signIn('ada@example.org', 'pw');
    clock.advance(15 * 60_000);
    expect(session.view()).toEqual({ state: 'expired', user: USER });
    expect(session.activeUser()).toBeNull();
  });

  it('ends when the server answers 401 token_expired, and passes other refusals through', async () => {
    const { session } = setup();
    await session.signIn('ada@example.org', 'pw');
    const forbidden = await session.withAuth(
      async () => ({ kind: 'refused', status: 403, code: 'forbidden', message: 'no', details: {} }) as const,
    );
    expect(forbidden.kind).toBe('refused');
    expect(session.view().state).toBe('active');
    await session.withAuth(
      async () => ({ kind: 'refused', status: 401, code: 'token_expired', message: 'expired', details: {} }) as const,
    );
    expect(session.view()).toEqual({ state: 'expired', user: USER });
    expect(await session.withAuth(async () => ({ kind: 'ok', value: 1 }) as const)).toEqual({ kind: 'no_session' });
  });

  it('refreshes the token only while in use and past half its lifetime, rotating the refresh token', async () => {
    const { session, clock, calls } = setup();
    await session.signIn('ada@example.org', 'pw');
    clock.advance(5 * 60_000);
    await session.touch();
    expect(calls.filter((c) => c.startsWith('refresh'))).toEqual([]);
    clock.advance(4 * 60_000);
    await session.touch();
    expect(calls.filter((c) => c.startsWith('refresh'))).toEqual(['refresh:refresh-1']);
    expect(session.view()).toEqual({
      state: 'active',
      user: USER,
      expiresAt: '2026-03-01T09:24:00.000Z',
      offline: false,
    });
    clock.advance(8 * 60_000);
    await session.touch();
    expect(calls.filter((c) => c.startsWith('refresh'))).toEqual(['refresh:refresh-1', 'refresh:refresh-2']);
  });

  it('ends when a refresh is refused, and keeps the session when the server is unreachable', async () => {
    const { session, clock, setRefresh } = setup();
    await session.signIn('ada@example.org', 'pw');
    clock.advance(10 * 60_000);
    setRefresh({ kind: 'unreachable' });
    await session.touch();
    expect(session.view().state).toBe('active');
    setRefresh({ kind: 'refused', status: 401, code: 'token_revoked', message: 'reused', details: {} });
    await session.touch();
    expect(session.view().state).toBe('expired');
  });

  it('signs out locally at once and tells the server', async () => {
    const { session, calls } = setup();
    await session.signIn('ada@example.org', 'pw');
    await session.signOut();
    expect(session.view()).toEqual({ state: 'signed_out' });
    expect(calls).toContain('sign-out:auth-1');
  });

  it('opens an offline session with a password this device saw accepted, when the server is unreachable', async () => {
    const { session, clock, setServerDown, openedOffline, unlocked } = setup();
    await session.signIn('ada@example.org', 'pw');
    await session.lock();
    setServerDown(true);
    expect((await session.signIn('ada@example.org', 'wrong')).kind).toBe('unreachable');
    const outcome = await session.signIn('ada@example.org', 'pw');
    expect(outcome.kind).toBe('signed_in');
    expect(openedOffline).toEqual([USER.id]);
    // The store key was unlocked with the password before the store was opened, online and offline.
    expect(unlocked).toEqual([`online:${USER.id}`, `offline:${USER.id}`]);
    expect(session.view()).toEqual({
      state: 'active',
      user: USER,
      expiresAt: '2026-03-01T09:15:00.000Z',
      offline: true,
    });
    expect(await session.withAuth(async () => ({ kind: 'ok', value: 1 }) as const)).toEqual({
      kind: 'offline_session',
    });
    // In use, the offline session slides; left alone, it locks like any other.
    clock.advance(10 * 60_000);
    await session.touch();
    expect(session.view()).toEqual({
      state: 'active',
      user: USER,
      expiresAt: '2026-03-01T09:25:00.000Z',
      offline: true,
    });
    clock.advance(15 * 60_000);
    expect(session.view().state).toBe('expired');
  });

  it('has no offline sign-in for someone who never signed in on this device', async () => {
    const { session, setServerDown } = setup();
    setServerDown(true);
    expect((await session.signIn('ada@example.org', 'pw')).kind).toBe('unreachable');
    expect(session.view()).toEqual({ state: 'signed_out' });
  });
});
