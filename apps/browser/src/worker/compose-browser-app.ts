/**
 * The browser host's composition root, run in the leader's engine worker: the
 * same sync engine (packages/client) on SQLite WASM, the same device sync,
 * UI session and local API routes as the desktop (apps/desktop/src/server),
 * with the browser's own storage for what the desktop keeps in files and the
 * keyring. It answers `Request`s from the tabs; nothing listens on a port.
 */
import { openSyncEngine } from '@clinicsync/client';
import { createChangeFeed } from '@clinicsync/desktop/src/server/change-feed.ts';
import { createLocalApi } from '@clinicsync/desktop/src/server/local-api-routes.ts';
import { renderLocalError } from '@clinicsync/desktop/src/server/local-error.ts';
import { createRemoteApi } from '@clinicsync/desktop/src/server/remote-api.ts';
import { createUiSession } from '@clinicsync/desktop/src/server/ui-session.ts';
import type { FeedSnapshot } from '@clinicsync/desktop/src/shared/local-api.ts';
import type { SyncStatusView } from '@clinicsync/desktop/src/shared/sync-status.ts';
import { createDeviceSync } from '@clinicsync/desktop/src/worker/device-sync.ts';
import type { Clock, Ids } from '@clinicsync/protocol';
import { Hono } from 'hono';
import { browserOfflineUnlock } from './browser-offline-unlock.ts';
import {
  browserPeopleDirectory,
  browserTokenStore,
  loadIdentity,
  openDeviceStore,
  saveIdentity,
} from './device-store.ts';
import type { StoragePool } from './storage-pool.ts';

export const APP_VERSION = '0.1.0-browser';

export type BrowserAppOptions = {
  readonly pool: StoragePool;
  /** The sync server: the origin the app was loaded from (a proxy's, when behind one). */
  readonly serverUrl: string;
  readonly deviceName: string;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly fetch: typeof fetch;
  readonly log: (line: string) => void;
  /** Rows per pull page (the engine's default when absent). */
  readonly pullLimit?: number;
  readonly syncIntervalMs?: number;
  readonly offlineIterations?: number;
};

export type BrowserApp = {
  /** Answers one local API request (`/api/…`). */
  handle(request: Request): Promise<Response>;
  /** The network is back: retry sync now. */
  notifyOnline(): void;
  /** Stops sync and closes every database. */
  close(): Promise<void>;
};

function dataFingerprint(s: SyncStatusView): string {
  return [s.lastPullAt, s.lastPushAt, s.pending, s.openConflicts, s.deadLetters, s.initialSync?.received ?? ''].join(
    '|',
  );
}

/** Opens the device store and builds the local API; call once per leader. */
export async function composeBrowserApp(options: BrowserAppOptions): Promise<BrowserApp> {
  const { clock, ids, log, pool } = options;
  const serverUrl = options.serverUrl.replace(/\/+$/, '');
  const deviceDb = await pool.open('/device.sqlite');
  const device = openDeviceStore(deviceDb);
  let identity = loadIdentity(device, () => ids.newId(), options.deviceName);

  // Each leader's feed starts at the clock, past any position a tab saw from the previous leader.
  const feed = createChangeFeed(clock.now().getTime());
  let dataVersion = clock.now().getTime();
  let fingerprint = '';
  const dataChanged = () => {
    dataVersion += 1;
    feed.bump();
  };

  const sync = createDeviceSync({
    openEngine: async (userId, getSyncToken) => {
      const database = await pool.open(`/local-${userId}.sqlite`);
      return openSyncEngine({
        dbPath: `opfs-sahpool:/local-${userId}.sqlite`,
        database,
        serverUrl,
        getSyncToken,
        deviceId: identity.deviceId,
        appVersion: APP_VERSION,
        clock,
        fetch: options.fetch,
        ...(options.pullLimit ? { pullLimit: options.pullLimit } : {}),
        ...(options.syncIntervalMs ? { intervalMs: options.syncIntervalMs } : {}),
        onError: (error) => log(`sync engine error: ${(error as Error)?.name ?? 'unknown'}`),
      });
    },
    tokensFor: (userId) => browserTokenStore(device, userId),
    identity: () => identity,
    saveIdentity: (next) => {
      identity = next;
      saveIdentity(device, next);
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

  const remote = createRemoteApi({ serverUrl, fetch: options.fetch });
  const people = browserPeopleDirectory(device);
  const session = createUiSession({
    remote,
    clock,
    device: () => ({ deviceId: identity.deviceId, deviceName: identity.deviceName }),
    handover: sync,
    offline: browserOfflineUnlock(device, options.offlineIterations),
    onChange: dataChanged,
  });

  const snapshot = (): FeedSnapshot => ({
    position: feed.position(),
    dataVersion,
    session: session.view(),
    sync: sync.status(),
    device: { deviceId: identity.deviceId, deviceName: identity.deviceName, tokenStore: 'browser', serverUrl },
  });

  const app = new Hono();
  app.route(
    '/api',
    createLocalApi({ session, remote, sync, people, feed, snapshot, dataChanged, deviceId: () => identity.deviceId }),
  );
  app.onError((error, c) => renderLocalError(error, c, log));

  await sync.resume();

  return {
    handle: async (request) => app.fetch(request),
    notifyOnline: () => sync.notifyOnline(),
    close: async () => {
      await sync.close();
      deviceDb.close();
    },
  };
}
