/**
 * Starts the desktop app: builds the UI when its sources changed, composes
 * the app, resumes the last person's background sync, watches for the server
 * coming back, and serves on 127.0.0.1 only. Used by the bin and tests.
 *
 * The URL to open carries an open code (launch-access.ts) that opens one
 * browser; it is also written to `<dataDir>/desktop-url` (0600) and removed on
 * close. When a code is used, the next URL replaces it there and goes to
 * `onOpenUrl` (the bin prints it).
 */
import { serve } from '@hono/node-server';
import { listening } from '@clinicsync/client/listening';
import type { Server } from 'node:net';
import { watchConnectivity } from '../worker/connectivity-probe.ts';
import { composeDesktop, type ComposeOptions } from './compose-desktop.ts';
import { randomIds } from './desktop-deps.ts';
import { drawLaunchAccess, openUrl, removeOpenUrlFile, writeOpenUrlFile } from './launch-access.ts';
import { loadUiAssets } from './ui-assets.ts';

export type DesktopOptions = Omit<ComposeOptions, 'port' | 'access' | 'assets' | 'log'> & {
  readonly port: number;
  readonly log?: (line: string) => void;
  /** Hears of each next URL to open, once the one before it has been used. */
  readonly onOpenUrl?: (url: string) => void;
};

export type RunningDesktop = {
  /** The URL to open now: the app's address with the current open code. */
  readonly url: string;
  /** The app's address without the code (`http://127.0.0.1:PORT/`). */
  readonly appUrl: string;
  /** The 0600 file holding `url`. */
  readonly urlFile: string;
  readonly port: number;
  readonly deviceId: string;
  close(): Promise<void>;
};

export async function startDesktop(options: DesktopOptions): Promise<RunningDesktop> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Codes are used only once the app listens, when `announce` knows the port.
  let announce: (code: string) => void = () => {};
  const access = drawLaunchAccess(
    (bytes) => (options.ids ?? randomIds).randomToken(bytes),
    (code) => announce(code),
  );
  const assets = await loadUiAssets(log);
  let port = options.port;
  const desktop = composeDesktop({ ...options, port: () => port, access, assets, log });
  await desktop.sync.resume();
  const stopProbe = watchConnectivity({
    serverUrl: options.serverUrl,
    fetch: options.fetch ?? globalThis.fetch,
    isOffline: () => !desktop.sync.status().online,
    onBack: () => desktop.sync.notifyOnline(),
  });

  // 127.0.0.1 only: nothing on the network can reach the app, and the Host check pins the name.
  const server = serve({ fetch: desktop.app.fetch, port: options.port, hostname: '127.0.0.1' });
  try {
    await listening(server as Server, { host: '127.0.0.1', port: options.port });
  } catch (error) {
    stopProbe();
    await desktop.sync.close();
    throw error;
  }
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;
  let url = openUrl(port, access.code);
  const urlFile = writeOpenUrlFile(options.dataDir, url);
  announce = (code) => {
    url = openUrl(port, code);
    writeOpenUrlFile(options.dataDir, url);
    options.onOpenUrl?.(url);
  };

  let closing: Promise<void> | undefined;
  return {
    get url() {
      return url;
    },
    appUrl: `http://127.0.0.1:${port}/`,
    urlFile,
    port,
    deviceId: desktop.identity().deviceId,
    close: () =>
      (closing ??= (async () => {
        stopProbe();
        await new Promise<void>((done) => {
          server.close(() => done());
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await desktop.sync.close();
        removeOpenUrlFile(options.dataDir);
      })()),
  };
}
