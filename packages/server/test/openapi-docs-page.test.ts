/**
 * The reference page renders in a real browser (Debian's Chromium through
 * playwright-core), from this server alone, and lists every operation.
 * Skipped with the reason printed when Chromium is not installed.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { CHROMIUM, launchOnProfile } from '../../../test/support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../src/openapi/build-document.ts';
import { OPERATIONS } from '../src/openapi/operations.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

const SCREENSHOT = resolve(fileURLToPath(new URL('../../../test-artifacts/screenshots/api-docs.png', import.meta.url)));
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`[skip] API reference page rendering skipped: ${CHROMIUM} is not installed (apt-get install chromium).`);

describe.skipIf(!hasChromium)('the API reference page in Chromium', () => {
  let server: ServerProcess;
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    server = await startServerProcess();
    profile = tempDir('chromium');
    // A fresh profile per run; Playwright takes the profile folder as the persistent context's directory.
    browser = await launchOnProfile(profile, { width: 1280, height: 1600 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('renders every operation from the served document, loading nothing from other origins', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    const failures: string[] = [];
    const origin = new URL(server.url).origin;
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.protocol.startsWith('http') && url.origin !== origin) foreign.push(req.url());
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') failures.push(msg.text());
    });
    page.on('pageerror', (error) => failures.push(error.message));

    await page.goto(new URL('/docs', server.url).href, { waitUntil: 'networkidle' });
    await page.waitForSelector('.opblock', { timeout: 20_000 });

    await expect(page.locator('.info .title').first().textContent()).resolves.toContain('ClinicSync API');
    const shown = await page
      .locator('.opblock-summary-path')
      .evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.path ?? n.textContent ?? ''));
    const expected = OPERATIONS.map((op) => op.path);
    for (const path of expected)
      expect(
        shown.map((s) => s.replace(/\u200b/g, '')),
        path,
      ).toContain(path);
    // Every documented operation, the FHIR routes included, is one block.
    const documented = Object.values(buildOpenApiDocument().paths ?? {}).flatMap((item) =>
      Object.keys(item as object).filter((key) => ['get', 'put', 'post', 'delete', 'patch'].includes(key)),
    );
    expect(await page.locator('.opblock').count()).toBe(documented.length);

    // Open the push operation so the screenshot shows a request body, the per-event results and the error codes.
    await page.locator('#operations-Sync-push .opblock-summary').click();
    await page.waitForSelector('#operations-Sync-push .responses-table');

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });

    expect(foreign).toEqual([]);
    expect(failures).toEqual([]);
  });
});
