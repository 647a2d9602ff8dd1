/**
 * Starts the desktop app: builds the UI when its sources changed, composes
 * the app, resumes the last person's background sync, watches for the server
 * coming back, and serves on 127.0.0.1 only. Used by the bin and tests.
 */
import { serve, type ServerType } from '@hono/node-server';
import { watchConnectivity } from '../worker/connectivity-probe.ts';
import { composeDesktop, type ComposeOptions } from './compose-desktop.ts';
import { randomIds } from './desktop-deps.ts';
import { loadUiAssets } from './ui-assets.ts';

export type DesktopOptions = Omit<ComposeOptions, 'port' | 'secret' | 'assets' | 'log'> & {
  readonly port: number;
  readonly log?: (line: string) => void;
};

export type RunningDesktop = {
  readonly url: string;
  readonly port: number;
  readonly deviceId: string;
  close(): Promise<void>;
};

export async function startDesktop(options: DesktopOptions): Promise<RunningDesktop> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secret = (options.ids ?? randomIds).randomToken(32);
  const assets = await loadUiAssets(secret, log);
  let port = options.port;
  const desktop = composeDesktop({ ...options, port: () => port, secret, assets, log });
  await desktop.sync.resume();
  const stopProbe = watchConnectivity({
    serverUrl: options.serverUrl,
    fetch: options.fetch ?? globalThis.fetch,
    isOffline: () => !desktop.sync.status().online,
    onBack: () => desktop.sync.notifyOnline(),
  });

  // 127.0.0.1 only: nothing on the network can reach the app, and the Host check pins the name.
  const server = await new Promise<ServerType>((ready) => {
    const s = serve({ fetch: desktop.app.fetch, port: options.port, hostname: '127.0.0.1' }, () => ready(s));
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
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
      })()),
  };
}
