/**
 * Debian's Chromium driven by playwright-core, never a downloaded browser:
 * headless, on a profile folder given by the caller (playwright passes it as
 * --user-data-dir), with the flags that keep it from reaching the network on
 * its own. `chromiumMissing()` gives the reason to skip where
 * /usr/bin/chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser suites cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} is not installed (apt-get install chromium); skipping the Chromium end-to-end suite`;
}

/** A browser context on `profile`; the same folder again is the same browser after a restart. */
export function launchOnProfile(profile: string, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, viewport, args: ARGS });
}
