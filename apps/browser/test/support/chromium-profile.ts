/**
 * Debian's Chromium on a profile folder the test keeps, so a suite can close
 * the browser and start it again on the same profile (same --user-data-dir)
 * with its OPFS store and service worker, as a clinic computer restarts.
 */
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { launchOnProfile as launchChromiumOn } from '../../../../test/support/chromium.ts';
import { SCREENSHOTS } from '../../../desktop/test/support/browser.ts';

export { chromiumMissing, SCREENSHOTS } from '../../../desktop/test/support/browser.ts';

export async function launchOnProfile(profile: string): Promise<BrowserContext> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return launchChromiumOn(profile);
}

/** Collects what would show that the page broke its Content-Security-Policy or threw. */
export function watchPage(page: Page, problems: string[]): Page {
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(`csp: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return page;
}
