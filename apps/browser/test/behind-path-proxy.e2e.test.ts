/**
 * The browser app behind a reverse proxy that serves the sync server under a
 * path (`http://proxy:PORT/clinicsync/…`, as a clinic's intranet may), in
 * Debian's Chromium against the real server bin (PROTOCOL §7: it works
 * behind a proxy; docs/browser-app.md "Behind a proxy"). The app, its
 * service worker and every call to the API must stay under that path.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/support/server-process.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';
import { startSwitchableProxy, type SwitchableProxy } from '../../desktop/test/support/switchable-proxy.ts';
import { chromiumMissing, launchOnProfile, watchPage } from './support/chromium-profile.ts';
import { createAccountAndOrganization, registerPatient } from './support/first-visit.ts';
import { serverReader } from './support/server-rows.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

const ADA = { name: 'Ada Obi', email: 'ada@harbour.example', password: 'correct horse battery' };

describe.skipIf(skipReason !== null)('the browser app behind a proxy that serves it under a path', () => {
  const root = tempDir('browser-path-proxy');
  const problems: string[] = [];
  let server: ServerProcess;
  let proxy: SwitchableProxy;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess({ dataDir: join(root, 'server') });
    proxy = await startSwitchableProxy(server.url, { pathPrefix: '/clinicsync' });
    context = await launchOnProfile(join(root, 'profile'));
    page = watchPage(await context.newPage(), problems);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await proxy?.close();
    await server?.stop();
  });

  it('creates an account, an organization and a patient that reach the server, and starts offline', async () => {
    await createAccountAndOrganization(page, `${proxy.url}/app/`, ADA);
    await registerPatient(page, 'Amina', 'Bello');
    await page.locator('.status-pending[data-pending="0"]').waitFor({ timeout: 30_000 });

    const reader = await serverReader(server.url, ADA);
    expect((await reader.rows('patients')).map((row) => row.family_name)).toEqual(['Bello']);
    expect(proxy.count('/v1/sync/push')).toBeGreaterThan(0);
    const scope = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
    expect(scope).toBe(`${proxy.url}/app/`);

    // The service worker under the path starts the app with no network; the password seen online signs in.
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor({ timeout: 20_000 });
    await page.getByLabel('Email').fill(ADA.email);
    await page.getByLabel('Password').fill(ADA.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Patients', exact: true }).click({ timeout: 20_000 });
    await page.getByRole('link', { name: /Bello, Amina/ }).waitFor({ timeout: 20_000 });
    expect(problems).toEqual([]);
  }, 150_000);
});
