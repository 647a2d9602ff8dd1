/**
 * The UI session of the desktop (PROTOCOL §1, docs/architecture.md §7):
 * the auth and refresh tokens live only here, in memory. The session
 * ends when the server answers 401 for it, when its auth token runs out, or on
 * sign-out; background sync, which uses the device's sync token, goes on.
 *
 * Expiry policy: the auth token is refreshed only while someone uses the app
 * (`touch`). A computer left alone for longer than the token's lifetime
 * (15 minutes by default) locks: the next person must sign in again, as
 * clinical workstations require, while the data keeps syncing underneath.
 *
 * When the server cannot be reached, a password this device has seen accepted
 * before opens an offline session (see offline-unlock.ts): the local store
 * works, features that need the server say so, and the same idle rule applies.
 */
import type { SignInResponse, User } from '@clinicsync/protocol';
import type { SessionView } from '../shared/local-api.ts';
import type { Clock } from './desktop-deps.ts';
import type { OfflineUnlock } from './offline-unlock.ts';
import type { RemoteApi, RemoteResult } from './remote-api.ts';
import type { StoreKeys } from './store-keys.ts';

export type SessionState =
  | { readonly kind: 'signed_out' }
  | {
      readonly kind: 'active';
      readonly user: User;
      /** Null in an offline session. */
      readonly authToken: string | null;
      readonly refreshToken: string | null;
      readonly issuedAt: number;
      readonly expiresAt: number;
    }
  | { readonly kind: 'expired'; readonly user: User };

/** What the session needs from the sync side when a sign-in hands over a new sync token. */
export type SyncTokenHandover = {
  adopt(user: User, syncToken: string): Promise<void>;
  /** An offline sign-in: work on this person's local store with the sync token already stored, if any. */
  openOffline(user: User): Promise<void>;
};

export type SignInOutcome =
  | { readonly kind: 'signed_in'; readonly view: SessionView }
  | { readonly kind: 'refused'; readonly status: number; readonly code: string; readonly message: string }
  /** No server, and no offline verifier matched. */
  | { readonly kind: 'unreachable' };

/** A server call that cannot be made in an offline session. */
export type OfflineSession = { readonly kind: 'offline_session' };

export type UiSessionDeps = {
  readonly remote: RemoteApi;
  readonly clock: Clock;
  readonly device: () => { deviceId: string; deviceName: string };
  readonly handover: SyncTokenHandover;
  readonly offline: OfflineUnlock;
  /** Unlocks the person's store key with the password just checked (store-keys.ts); the browser host has none. */
  readonly storeKeys?: Pick<StoreKeys, 'unlockOnline' | 'unlockOffline'>;
  readonly onChange: () => void;
  /** Idle lifetime of an offline session (there is no token to take it from). */
  readonly offlineSessionMs?: number;
};

/** Codes with which the server says the UI session is over. */
const SESSION_ENDED = new Set(['token_expired', 'token_revoked', 'unauthorized']);

/** Creates the in-memory session; exactly one per desktop process. */
export function createUiSession(deps: UiSessionDeps) {
  let state: SessionState = { kind: 'signed_out' };
  let refreshing: Promise<void> | undefined;

  const set = (next: SessionState) => {
    state = next;
    deps.onChange();
  };

  /** Applies the local clock: a token past its expiry time ends the session without asking the server. */
  function current(): SessionState {
    if (state.kind === 'active' && deps.clock.now().getTime() >= state.expiresAt)
      set({ kind: 'expired', user: state.user });
    return state;
  }

  const offlineMs = deps.offlineSessionMs ?? 15 * 60_000;

  function activate(user: User, tokens: { authToken: string; authExpiresAt: string; refreshToken: string }) {
    const issuedAt = deps.clock.now().getTime();
    set({
      kind: 'active',
      user,
      authToken: tokens.authToken,
      refreshToken: tokens.refreshToken,
      issuedAt,
      expiresAt: Date.parse(tokens.authExpiresAt),
    });
  }

  function activateOffline(user: User) {
    const issuedAt = deps.clock.now().getTime();
    set({ kind: 'active', user, authToken: null, refreshToken: null, issuedAt, expiresAt: issuedAt + offlineMs });
  }

  async function refresh(active: Extract<SessionState, { kind: 'active' }>): Promise<void> {
    if (active.refreshToken === null) {
      // Offline session: in use, so its idle clock starts again.
      activateOffline(active.user);
      return;
    }
    const result = await deps.remote.refresh(active.refreshToken);
    // Another sign-in or sign-out may have happened while this was in flight.
    if (state !== active) return;
    if (result.kind === 'ok') activate(active.user, result.value);
    else if (result.kind === 'refused' && result.status === 401) set({ kind: 'expired', user: active.user });
    // Unreachable: keep the token; it still works until it expires.
  }

  return {
    view(): SessionView {
      const s = current();
      switch (s.kind) {
        case 'signed_out':
          return { state: 'signed_out' };
        case 'active':
          return {
            state: 'active',
            user: s.user,
            expiresAt: new Date(s.expiresAt).toISOString(),
            offline: s.authToken === null,
          };
        case 'expired':
          return { state: 'expired', user: s.user };
      }
    },

    /** The signed-in user while the session is active, else null. */
    activeUser(): User | null {
      const s = current();
      return s.kind === 'active' ? s.user : null;
    },

    async signIn(email: string, password: string): Promise<SignInOutcome> {
      const device = deps.device();
      const result: RemoteResult<SignInResponse> = await deps.remote.signIn({
        email,
        password,
        deviceId: device.deviceId,
        deviceName: device.deviceName,
      });
      if (result.kind === 'unreachable') {
        const user = await deps.offline.verify(email, password);
        // The store opens only with the key this password unwraps.
        if (!user || (deps.storeKeys && !(await deps.storeKeys.unlockOffline(user.id, password)))) return result;
        await deps.handover.openOffline(user);
        activateOffline(user);
        return { kind: 'signed_in', view: this.view() };
      }
      if (result.kind === 'refused')
        return { kind: 'refused', status: result.status, code: result.code, message: result.message };
      await deps.storeKeys?.unlockOnline(result.value.user.id, password);
      await deps.handover.adopt(result.value.user, result.value.syncToken);
      activate(result.value.user, result.value);
      await deps.offline.remember(email, result.value.user, password);
      return { kind: 'signed_in', view: this.view() };
    },

    /** Someone is using the app: refresh the auth token once it is past half its lifetime. */
    async touch(): Promise<void> {
      const s = current();
      if (s.kind !== 'active') return;
      const now = deps.clock.now().getTime();
      if (now - s.issuedAt < (s.expiresAt - s.issuedAt) / 2) return;
      refreshing ??= refresh(s).finally(() => {
        refreshing = undefined;
      });
      await refreshing;
    },

    /**
     * Runs a server call with the auth token. A 401 ends the session (the UI
     * asks to sign in again); other answers pass through unchanged.
     */
    async withAuth<T>(
      call: (authToken: string) => Promise<RemoteResult<T>>,
    ): Promise<RemoteResult<T> | { kind: 'no_session' } | OfflineSession> {
      const s = current();
      if (s.kind !== 'active') return { kind: 'no_session' };
      if (s.authToken === null) return { kind: 'offline_session' };
      const result = await call(s.authToken);
      if (result.kind === 'refused' && result.status === 401 && SESSION_ENDED.has(result.code) && state === s) {
        set({ kind: 'expired', user: s.user });
      }
      return result;
    },

    /**
     * Locks the app now (stepping away from the desk, or sync asked for a new
     * sign-in): the tokens are dropped and the next person must sign in again.
     */
    async lock(): Promise<void> {
      const s = state;
      if (s.kind !== 'active') return;
      set({ kind: 'expired', user: s.user });
      if (s.authToken !== null) await deps.remote.signOut(s.authToken);
    },

    /** Ends the UI session; the device keeps syncing. The server is told when reachable. */
    async signOut(): Promise<void> {
      const s = state;
      set({ kind: 'signed_out' });
      if (s.kind === 'active' && s.authToken !== null) await deps.remote.signOut(s.authToken);
    },
  };
}

export type UiSession = ReturnType<typeof createUiSession>;
