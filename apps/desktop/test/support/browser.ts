/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser),
 * headless, with a fresh profile per launch. `chromiumMissing()` gives the
 * reason to skip when /usr/bin/chromium is not installed. `openDesktop`
 * opens a desktop's printed URL (with its open code) as a person does, so the
 * page holds the launch cookie (PROTOCOL §9).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from '../../../../test/support/temp-dir.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = resolve(fileURLToPath(new URL('../../../../test-artifacts/screenshots', import.meta.url)));

/** Why the browser suites cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} is not installed (apt-get install chromium); skipping the Chromium end-to-end suite`;
}

/** A browser context on a fresh profile; playwright passes the profile as --user-data-dir. */
export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const profile = tempDir('chromium');
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A new page on `desktop`'s app, opened through its printed URL (the open
 * code becomes the launch cookie, shared by every page of `context`), at
 * `route` (`#/patients/…`) if given.
 */
export async function openDesktop(
  context: BrowserContext,
  desktop: { readonly url: string },
  route = '',
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${desktop.url}${route}`);
  return page;
}
