/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser),
 * headless, with a fresh profile per launch. `chromiumMissing()` gives the
 * reason to skip when /usr/bin/chromium is not installed. `openDesktop`
 * opens a desktop's printed URL (with its open code) as a person does, so the
 * page holds the launch cookie (PROTOCOL §9).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { launchOnProfile } from '../../../../test/support/chromium.ts';
import { tempDir } from '../../../../test/support/temp-dir.ts';

export { CHROMIUM, chromiumMissing } from '../../../../test/support/chromium.ts';
export const SCREENSHOTS = resolve(fileURLToPath(new URL('../../../../test-artifacts/screenshots', import.meta.url)));

/** A browser context on a fresh profile. */
export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return launchOnProfile(tempDir('chromium'), viewport);
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
