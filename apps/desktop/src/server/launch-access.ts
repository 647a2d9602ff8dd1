/**
 * How the person who started the desktop, and nobody else on the computer,
 * gets into its local API (PROTOCOL §9, docs/security.md "The clinic
 * computer").
 *
 * Each launch draws two random values:
 * - the **open code**, printed in the URL the desktop prints
 *   (`ClinicSync desktop: http://127.0.0.1:PORT/?code=…`) and written to
 *   `<dataDir>/desktop-url` (0600, in the 0700 data folder). Only the OS user
 *   who started the app (and the administrator) can read either;
 * - the **launch secret**, which only ever travels in an HttpOnly,
 *   SameSite=Strict cookie set in exchange for the code. Page scripts cannot
 *   read it, and no page any local process can fetch contains it;
 * - the **page key** (shared/page-key.ts), handed over in the same exchange,
 *   in the address it redirects to, and sent back by the page in a header:
 *   browsers send the cookie to every port of 127.0.0.1, so a program
 *   listening on another port may receive the cookie, never the key.
 *
 * Each code opens one browser (PROTOCOL §9: a one-time code): once it has
 * been exchanged for the cookie, a copy of the link (from a terminal's
 * scroll-back, a screen, a shared clipboard) lets nobody else in. The next
 * code is drawn at once and its URL printed again and saved to the file, so
 * the person can still open a second browser, or the same one after closing
 * it. A browser that already holds the cookie may open a used link again.
 * The codes and the secret die with the process.
 */
import { timingSafeEqual } from 'node:crypto';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file in the data folder that holds the URL to open (0600). */
export const OPEN_URL_FILE = 'desktop-url';

/** The query parameter of the printed URL that carries the open code. */
export const CODE_PARAM = 'code';

export type LaunchAccess = {
  /** The code that opens the next browser; in the printed URL and the 0600 file. */
  readonly code: string;
  /** The cookie's value; never printed, logged or written to disk. */
  readonly secret: string;
  /** The value the page sends in the page-key header; handed out only when a code is used. Never printed, logged or written to disk. */
  readonly pageKey: string;
  /** True when `given` is the current code, which is then used up: the next one is drawn and announced. */
  redeem(given: string | undefined): boolean;
};

/** Draws this launch's secret, page key and first code (256 bits each, base64url); `onNewCode` hears of each next code. */
export function drawLaunchAccess(
  randomToken: (bytes: number) => string,
  onNewCode: (code: string) => void = () => {},
): LaunchAccess {
  let code = randomToken(32);
  const secret = randomToken(32);
  const pageKey = randomToken(32);
  return {
    get code() {
      return code;
    },
    secret,
    pageKey,
    redeem(given) {
      if (!sameValue(given, code)) return false;
      code = randomToken(32);
      onNewCode(code);
      return true;
    },
  };
}

/**
 * The cookie's name carries the port: browsers keep cookies per host, not per
 * port, so two desktops on one computer (two data folders) would otherwise
 * overwrite each other's cookie.
 */
export function launchCookieName(port: number): string {
  return `clinicsync_launch_${port}`;
}

/** The `Set-Cookie` value handing the secret to the browser: script-proof, first-party only, gone with the browser session. */
export function launchCookie(port: number, secret: string): string {
  return `${launchCookieName(port)}=${secret}; Path=/; HttpOnly; SameSite=Strict`;
}

/** A `Cookie` request header carrying the launch secret (tests and tools that already hold it). */
export function launchCookieHeader(port: number, secret: string): string {
  return `${launchCookieName(port)}=${secret}`;
}

/** The URL to open in the browser: the app's address with the open code. */
export function openUrl(port: number, code: string): string {
  return `http://127.0.0.1:${port}/?${CODE_PARAM}=${encodeURIComponent(code)}`;
}

/** Constant-time comparison of a presented value with the expected one; absent never matches. */
export function sameValue(given: string | undefined | null, expected: string): boolean {
  if (given === undefined || given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of cookie `name` in a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Writes the URL to open into `<dataDir>/desktop-url`, owner-only, replaced atomically. */
export function writeOpenUrlFile(dataDir: string, url: string): string {
  const path = join(dataDir, OPEN_URL_FILE);
  const temp = `${path}.tmp`;
  // The mode applies at creation; chmod covers a temp file left by a crash.
  writeFileSync(temp, `${url}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  return path;
}

/** Removes the file when the desktop stops: its code no longer opens anything. */
export function removeOpenUrlFile(dataDir: string): void {
  rmSync(join(dataDir, OPEN_URL_FILE), { force: true });
}
