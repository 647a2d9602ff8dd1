/**
 * The device's background sync: one local store per person who signs in on
 * this device, and the sync token of that person. Sync runs on the sync token
 * alone, so it keeps going when the UI session ends; only "stop syncing this
 * device" removes the token.
 *
 * Why one store per person: a shared clinic computer is used by several staff
 * members in turn (devices are per user on the server). A person's unsent
 * edits must never go out under someone else's token, and must not be thrown
 * away either, so signing in as someone else parks the previous store (with
 * its outbox) until its owner signs in again.
 */
import type { User } from '@clinicsync/protocol';
import type { SyncStatusView } from '../shared/sync-status.ts';
import type { DeviceIdentity } from '../server/device-identity.ts';
import type { SyncEngine } from '@clinicsync/client';
import type { SyncTokenStore } from '../server/token-store.ts';

export type DeviceSyncDeps = {
  /** Opens (creating if needed) the local store and engine of one user; the engine reads its token through `getSyncToken`. */
  readonly openEngine: (userId: string, getSyncToken: () => string | null) => Promise<SyncEngine>;
  /** The sync token store of one user on this device. */
  readonly tokensFor: (userId: string) => SyncTokenStore;
  /** Whether `userId`'s store can be opened before anyone signs in (its key is at hand: docs/security.md). */
  readonly canOpen?: (userId: string) => boolean;
  readonly identity: () => DeviceIdentity;
  readonly saveIdentity: (next: DeviceIdentity) => void;
  /** Called on every status change of the current engine and when the engine is swapped. */
  readonly onStatus: (status: SyncStatusView) => void;
};

/** The status shown before anyone has signed in on this device. */
export const NOT_SIGNED_IN_STATUS: SyncStatusView = {
  phase: 'sign_in_required',
  online: true,
  pending: 0,
  oldestPendingAt: null,
  openConflicts: 0,
  deadLetters: 0,
  held: 0,
  lastSyncAt: null,
  lastPushAt: null,
  lastPullAt: null,
};

type Current = {
  userId: string;
  engine: SyncEngine;
  tokens: SyncTokenStore;
  running: boolean;
  unsubscribe: () => void;
};

/** Creates the controller; call `resume()` once at launch. */
export function createDeviceSync(deps: DeviceSyncDeps) {
  let current: Current | null = null;

  async function open(userId: string): Promise<Current> {
    if (current?.userId === userId) return current;
    if (current) {
      current.unsubscribe();
      await current.engine.close();
      current = null;
    }
    const tokens = deps.tokensFor(userId);
    const engine = await deps.openEngine(userId, () => tokens.get());
    const unsubscribe = engine.subscribe((status) => deps.onStatus(status));
    current = { userId, engine, tokens, running: false, unsubscribe };
    deps.onStatus(engine.status());
    return current;
  }

  function start(c: Current): void {
    if (c.running) return;
    c.engine.start();
    c.running = true;
  }

  return {
    /**
     * At launch: reopen the store of the last person who synced here, and sync if their token is
     * still stored. An encrypted store whose key only the person's password unwraps waits for their sign-in.
     */
    async resume(): Promise<void> {
      const { syncUserId } = deps.identity();
      if (syncUserId === null) return;
      if (deps.canOpen && !deps.canOpen(syncUserId)) return;
      const c = await open(syncUserId);
      if (c.tokens.get() !== null) start(c);
    },

    /** Takes the sync token a sign-in handed over and syncs the signer's store. */
    async adopt(user: User, syncToken: string): Promise<void> {
      const c = await open(user.id);
      c.tokens.set(syncToken);
      const identity = deps.identity();
      if (identity.syncUserId !== user.id) deps.saveIdentity({ ...identity, syncUserId: user.id });
      // A store that stopped on a 401 waits for this call before it syncs again.
      if (c.engine.status().phase === 'sign_in_required') c.engine.resetForSignIn();
      start(c);
      void c.engine.syncNow();
    },

    /** An offline sign-in: open that person's store and sync with the token they already have here, if any. */
    async openOffline(user: User): Promise<void> {
      const c = await open(user.id);
      const identity = deps.identity();
      if (identity.syncUserId !== user.id) deps.saveIdentity({ ...identity, syncUserId: user.id });
      if (c.tokens.get() !== null) start(c);
    },

    /** Forgets the sync token and stops the loops; the local data and any unsent edits stay. */
    async stop(): Promise<void> {
      if (!current) return;
      current.tokens.clear();
      if (current.running) await current.engine.stop();
      current.running = false;
      deps.onStatus(current.engine.status());
    },

    /** The engine of `userId`, when that user's store is the open one. */
    engineFor(userId: string): SyncEngine | null {
      return current?.userId === userId ? current.engine : null;
    },

    status(): SyncStatusView {
      if (!current) return NOT_SIGNED_IN_STATUS;
      const status = current.engine.status();
      // A stopped device reads as "sign in required": nothing syncs until someone signs in.
      return current.running ? status : { ...status, phase: 'sign_in_required' };
    },

    syncNow(): void {
      if (current?.running) void current.engine.syncNow();
    },

    /** The server answers again: retry now rather than after the backoff. */
    notifyOnline(): void {
      if (current?.running) current.engine.notifyOnline();
    },

    async close(): Promise<void> {
      if (!current) return;
      current.unsubscribe();
      await current.engine.close();
      current = null;
    },
  };
}

export type DeviceSync = ReturnType<typeof createDeviceSync>;
