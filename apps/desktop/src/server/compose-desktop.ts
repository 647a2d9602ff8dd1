/**
 * The desktop's composition root without the network listener: device
 * identity, background sync per signed-in person, the UI session and the
 * local web app. `startDesktop` serves it; tests call `app.request` on it.
 */
import { openSyncEngine, StoreKeyError } from '@clinicsync/client';
import { Entry } from '@napi-rs/keyring';
import type { Hono } from 'hono';
import { existsSync, renameSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FeedSnapshot } from '../shared/local-api.ts';
import type { SyncStatusView } from '../shared/sync-status.ts';
import { createDeviceSync, type DeviceSync } from '../worker/device-sync.ts';
import { createChangeFeed } from './change-feed.ts';
import { randomIds, systemClock, type Clock, type Ids } from './desktop-deps.ts';
import { ensureDataFolder, loadDeviceIdentity, saveDeviceIdentity, type DeviceIdentity } from './device-identity.ts';
import type { LaunchAccess } from './launch-access.ts';
import { createLocalApp } from './local-app.ts';
import { openOfflineUnlock } from './offline-unlock.ts';
import { openPeopleDirectory } from './people-directory.ts';
import { createRemoteApi } from './remote-api.ts';
import { openStoreKeys } from './store-keys.ts';
import { chooseTokenStore, type KeyringFactory, type SyncTokenStore } from './token-store.ts';
import type { UiAssets } from './ui-assets.ts';
import { createUiSession, type UiSession } from './ui-session.ts';

export const APP_VERSION = '0.1.0';

export type ComposeOptions = {
  readonly serverUrl: string;
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The port the app is served on, known once listening. */
  readonly port: () => number;
  /** This launch's open code and cookie secret (launch-access.ts). */
  readonly access: LaunchAccess;
  readonly assets: UiAssets;
  readonly clock?: Clock;
  readonly ids?: Ids;
  readonly fetch?: typeof fetch;
  readonly openKeyring?: KeyringFactory;
  /** Where each person's local store lives; default `<dataDir>/local-<userId>.sqlite`. */
  readonly storePath?: (userId: string) => string;
  readonly syncIntervalMs?: number;
  readonly maxBackoffMs?: number;
  readonly longPollMs?: number;
  readonly log: (line: string) => void;
};

export type ComposedDesktop = {
  readonly app: Hono;
  readonly sync: DeviceSync;
  readonly session: UiSession;
  readonly identity: () => DeviceIdentity;
  readonly tokenStoreKind: () => string;
};

const keyringEntry: KeyringFactory = (service, account) => new Entry(service, account);

/** Fields of the sync status whose change means the data on screen may be stale. */
function dataFingerprint(s: SyncStatusView): string {
  return [s.lastPullAt, s.lastPushAt, s.pending, s.openConflicts, s.deadLetters, s.initialSync?.received ?? ''].join(
    '|',
  );
}

/** Builds everything; call `sync.resume()` to restart the last person's background sync. */
export function composeDesktop(options: ComposeOptions): ComposedDesktop {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const log = options.log;
  const fetcher = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const serverUrl = options.serverUrl.replace(/\/+$/, '');
  ensureDataFolder(options.dataDir);
  let identity: DeviceIdentity = loadDeviceIdentity(options.dataDir, ids, `ClinicSync on ${hostname()}`);

  const feed = createChangeFeed();
  let dataVersion = 1;
  let fingerprint = '';
  const dataChanged = () => {
    dataVersion += 1;
    feed.bump();
  };
  let tokenStore: SyncTokenStore | null = null;
  let warnedFallback = false;

  const storePath = (userId: string) => options.storePath?.(userId) ?? join(options.dataDir, `local-${userId}.sqlite`);
  const storeKeys = openStoreKeys({
    dataDir: options.dataDir,
    deviceId: () => identity.deviceId,
    env: options.env,
    openKeyring: options.openKeyring ?? keyringEntry,
    now: () => clock.now(),
    log,
    setAside: (userId, stamp) => {
      const path = storePath(userId);
      if (path === ':memory:') return;
      for (const suffix of ['', '-wal', '-shm', '-journal']) {
        if (existsSync(path + suffix)) renameSync(path + suffix, `${path}.set-aside-${stamp}${suffix}`);
      }
    },
  });

  const openEngine = (userId: string, getSyncToken: () => string | null, key: Buffer) =>
    openSyncEngine({
      dbPath: storePath(userId),
      encryptionKey: key,
      serverUrl,
      getSyncToken,
      deviceId: identity.deviceId,
      appVersion: APP_VERSION,
      clock,
      intervalMs: options.syncIntervalMs,
      maxBackoffMs: options.maxBackoffMs,
      fetch: fetcher,
      onError: (error) => log(`sync engine error: ${(error as Error)?.name ?? 'unknown'}`),
    });

  const sync = createDeviceSync({
    openEngine: async (userId, getSyncToken) => {
      const key = storeKeys.keyFor(userId);
      // Unreachable by design: sign-in unlocks the key before handing over, resume checks canOpen.
      if (!key) throw new Error('The local store is locked until its owner signs in.');
      try {
        return await openEngine(userId, getSyncToken, key);
      } catch (error) {
        if (!(error instanceof StoreKeyError)) throw error;
        return openEngine(userId, getSyncToken, storeKeys.replace(userId));
      }
    },
    canOpen: (userId) => storeKeys.resume(userId),
    tokensFor: (userId) => {
      tokenStore = chooseTokenStore({
        dataDir: options.dataDir,
        account: `${identity.deviceId}-${userId}`,
        env: options.env,
        openKeyring: options.openKeyring ?? keyringEntry,
        onFallback: () => {
          if (!warnedFallback)
            log(
              'the OS keyring is not available; the sync token is kept in a file readable only by you in the data folder',
            );
          warnedFallback = true;
        },
      });
      return tokenStore;
    },
    identity: () => identity,
    saveIdentity: (next) => {
      identity = next;
      saveDeviceIdentity(options.dataDir, next);
    },
    onStatus: (status) => {
      const next = dataFingerprint(status);
      if (next !== fingerprint) {
        fingerprint = next;
        dataVersion += 1;
      }
      feed.bump();
    },
  });

  const remote = createRemoteApi({ serverUrl, fetch: fetcher });
  const people = openPeopleDirectory(options.dataDir);
  const session = createUiSession({
    remote,
    clock,
    device: () => ({ deviceId: identity.deviceId, deviceName: identity.deviceName }),
    handover: sync,
    offline: openOfflineUnlock(options.dataDir),
    storeKeys,
    onChange: dataChanged,
  });

  const snapshot = (): FeedSnapshot => ({
    position: feed.position(),
    dataVersion,
    session: session.view(),
    sync: sync.status(),
    device: {
      deviceId: identity.deviceId,
      deviceName: identity.deviceName,
      tokenStore: tokenStore?.kind ?? 'none',
      serverUrl,
    },
  });

  const app = createLocalApp({
    port: options.port,
    access: options.access,
    assets: options.assets,
    session,
    remote,
    sync,
    people,
    feed,
    snapshot,
    dataChanged,
    deviceId: () => identity.deviceId,
    log,
    longPollMs: options.longPollMs,
  });

  return { app, sync, session, identity: () => identity, tokenStoreKind: () => tokenStore?.kind ?? 'none' };
}
