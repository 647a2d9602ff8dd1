/**
 * Starts the desktop app: data folder and device identity, the UI build,
 * the background sync of the last signed-in person, the UI session, and the
 * local web app on 127.0.0.1. Used by the `clinicsync-desktop` bin and tests.
 */
import { serve, type ServerType } from '@hono/node-server';
import { openSyncEngine } from '@clinicsync/client';
import { Entry } from '@napi-rs/keyring';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FeedSnapshot } from '../shared/local-api.ts';
import type { SyncStatusView } from '../shared/sync-status.ts';
import { watchConnectivity } from '../worker/connectivity-probe.ts';
import { createDeviceSync } from '../worker/device-sync.ts';
import { createChangeFeed } from './change-feed.ts';
import { randomIds, systemClock, type Clock, type Ids } from './desktop-deps.ts';
import { ensureDataFolder, loadDeviceIdentity, saveDeviceIdentity, type DeviceIdentity } from './device-identity.ts';
import { createLocalApp } from './local-app.ts';
import { openPeopleDirectory } from './people-directory.ts';
import { createRemoteApi } from './remote-api.ts';
import { chooseTokenStore, type KeyringFactory, type SyncTokenStore } from './token-store.ts';
import { loadUiAssets } from './ui-assets.ts';
import { createUiSession } from './ui-session.ts';

export const APP_VERSION = '0.1.0';

export type DesktopOptions = {
  readonly serverUrl: string;
  readonly port: number;
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  readonly ids?: Ids;
  readonly fetch?: typeof fetch;
  readonly openKeyring?: KeyringFactory;
  /** Time between background syncs (default 30 s). */
  readonly syncIntervalMs?: number;
  /** Longest wait between retries while the server is unreachable (default 60 s). */
  readonly maxBackoffMs?: number;
  readonly log?: (line: string) => void;
};

export type RunningDesktop = {
  readonly url: string;
  readonly port: number;
  readonly deviceId: string;
  readonly tokenStoreKind: () => string;
  close(): Promise<void>;
};

const keyringEntry: KeyringFactory = (service, account) => new Entry(service, account);

/** Fields of the sync status whose change means the data on screen may be stale. */
function dataFingerprint(s: SyncStatusView): string {
  return [s.lastPullAt, s.lastPushAt, s.pending, s.openConflicts, s.deadLetters, s.initialSync?.received ?? ''].join('|');
}

export async function startDesktop(options: DesktopOptions): Promise<RunningDesktop> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const serverUrl = options.serverUrl.replace(/\/+$/, '');
  ensureDataFolder(options.dataDir);
  let identity: DeviceIdentity = loadDeviceIdentity(options.dataDir, ids, `ClinicSync on ${hostname()}`);
  const secret = ids.randomToken(32);
  const assets = await loadUiAssets(secret, log);

  const feed = createChangeFeed();
  let dataVersion = 1;
  let fingerprint = '';
  const dataChanged = () => {
    dataVersion += 1;
    feed.bump();
  };
  let tokenStore: SyncTokenStore | null = null;
  let warnedFallback = false;

  const sync = createDeviceSync({
    openEngine: (userId, getSyncToken) =>
      openSyncEngine({
        dbPath: join(options.dataDir, `local-${userId}.sqlite`),
        serverUrl,
        getSyncToken,
        deviceId: identity.deviceId,
        appVersion: APP_VERSION,
        clock,
        intervalMs: options.syncIntervalMs,
        maxBackoffMs: options.maxBackoffMs,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        onError: (error) => log(`sync engine error: ${(error as Error)?.name ?? 'unknown'}`),
      }),
    tokensFor: (userId) => {
      tokenStore = chooseTokenStore({
        dataDir: options.dataDir,
        account: `${identity.deviceId}-${userId}`,
        env: options.env,
        openKeyring: options.openKeyring ?? keyringEntry,
        onFallback: () => {
          if (!warnedFallback) log('the OS keyring is not available; the sync token is kept in a file readable only by you in the data folder');
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

  const remote = createRemoteApi({ serverUrl, fetch: options.fetch ?? globalThis.fetch });
  const people = openPeopleDirectory(options.dataDir);
  const session = createUiSession({
    remote,
    clock,
    device: () => ({ deviceId: identity.deviceId, deviceName: identity.deviceName }),
    handover: sync,
    onChange: dataChanged,
  });

  let port = options.port;
  const snapshot = (): FeedSnapshot => ({
    position: feed.position(),
    dataVersion,
    session: session.view(),
    sync: sync.status(),
    device: { deviceId: identity.deviceId, deviceName: identity.deviceName, tokenStore: tokenStore?.kind ?? 'none', serverUrl },
  });

  const app = createLocalApp({
    port: () => port,
    secret,
    assets,
    session,
    remote,
    sync,
    people,
    feed,
    snapshot,
    dataChanged,
    deviceId: () => identity.deviceId,
    log,
  });

  await sync.resume();
  const stopProbe = watchConnectivity({ serverUrl, fetch: options.fetch ?? globalThis.fetch, isOffline: () => !sync.status().online, onBack: () => sync.notifyOnline() });

  const server = await new Promise<ServerType>((ready) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: '127.0.0.1' }, () => ready(s));
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    deviceId: identity.deviceId,
    tokenStoreKind: () => tokenStore?.kind ?? 'none',
    close: () =>
      (closing ??= (async () => {
        stopProbe();
        await new Promise<void>((done) => {
          server.close(() => done());
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await sync.close();
      })()),
  };
}
