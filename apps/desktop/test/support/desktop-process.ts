/**
 * Starts the real `clinicsync-desktop` bin as a child process on a free port
 * for end-to-end tests, with the sync token in a file (no keyring in CI) and
 * short sync timers so a suite does not wait out production intervals.
 *
 * The desktop prints the URL to open, which carries a one-time open code
 * (PROTOCOL §9), and keeps the current one in its `desktop-url` file. `url` is
 * the current URL, read from that file each time: `page.goto(desktop.url)`
 * (or `${desktop.url}#/patients/…`) trades the code for the launch cookie and
 * lands on the app, as a person clicking the printed link does, and the next
 * `desktop.url` is the next link, for another browser context. `appUrl` is
 * the clean address, which opens the app only in a browser that has the
 * cookie already. Tests speaking raw HTTP get the headers the app's page sends
 * (the launch cookie and the page key) with `credentials()`, the cookie alone
 * with `cookie()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGE_KEY_HEADER, PAGE_KEY_PARAM } from '../../src/shared/page-key.ts';

const BIN = resolve(fileURLToPath(new URL('../../bin/clinicsync-desktop.js', import.meta.url)));

export type DesktopProcess = {
  /** The current URL to open, with its one-time code: opening it opens the app. */
  readonly url: string;
  /** `http://127.0.0.1:PORT/`, without the code. */
  readonly appUrl: string;
  /** `http://127.0.0.1:PORT`, for building API URLs. */
  readonly origin: string;
  /** `127.0.0.1:PORT`, the only Host the desktop answers. */
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** The 0600 file in the data folder that holds `url`. */
  readonly urlFile: string;
  readonly child: ChildProcess;
  /** A `Cookie` header value carrying the launch cookie, got by opening `url` over raw HTTP. */
  cookie(): Promise<string>;
  /** The headers the app's page sends with each API request: the launch cookie and the page key (opened as `cookie()`). */
  credentials(): Promise<LaunchCredentials>;
  output(): string;
  stop(): Promise<void>;
};

/** The headers of a request from the app's own page: `cookie` (`name=value`) and the page key's header. */
export type LaunchCredentials = { readonly cookie: string; readonly [PAGE_KEY_HEADER]: string };

/** Opens `url` without following the redirect and returns the cookie it sets and the page key it hands over. */
export function exchangeOpenCode(url: string): Promise<LaunchCredentials> {
  const target = new URL(url);
  return new Promise((ok, fail) => {
    const req = request(
      {
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers: { host: target.host },
      },
      (res) => {
        res.resume();
        const setCookie = res.headers['set-cookie']?.[0];
        const key = new URL(res.headers.location ?? '/', target).searchParams.get(PAGE_KEY_PARAM);
        if (res.statusCode !== 303 || !setCookie || !key)
          fail(new Error(`opening the desktop URL answered ${res.statusCode} without a cookie and a page key`));
        else ok({ cookie: setCookie.split(';')[0]!, [PAGE_KEY_HEADER]: key });
      },
    );
    req.on('error', fail);
    req.end();
  });
}

export async function startDesktopProcess(options: {
  serverUrl: string;
  dataDir: string;
  env?: Record<string, string>;
}): Promise<DesktopProcess> {
  const child = spawn(
    process.execPath,
    [BIN, '--server', options.serverUrl, '--port', '0', '--data', options.dataDir],
    {
      env: {
        ...process.env,
        CLINICSYNC_TOKEN_STORE: 'file',
        CLINICSYNC_SYNC_INTERVAL_MS: '1000',
        CLINICSYNC_MAX_BACKOFF_MS: '2000',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`desktop did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /ClinicSync desktop: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        ok(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`desktop exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const parsed = new URL(url);
  const urlFile = join(options.dataDir, 'desktop-url');
  // The file is rewritten before the answer that used the code up, so it is never behind a finished exchange.
  const current = () => {
    try {
      return readFileSync(urlFile, 'utf8').trim() || url;
    } catch {
      return url;
    }
  };
  let credentials: Promise<LaunchCredentials> | undefined;
  const opened = () =>
    (credentials ??= exchangeOpenCode(current()).catch((error: unknown) => {
      credentials = undefined;
      throw error;
    }));
  return {
    get url() {
      return current();
    },
    appUrl: `${parsed.origin}/`,
    origin: parsed.origin,
    host: parsed.host,
    port: Number(parsed.port),
    dataDir: options.dataDir,
    urlFile,
    child,
    cookie: async () => (await opened()).cookie,
    credentials: opened,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
