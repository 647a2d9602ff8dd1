/**
 * A server upgrade while a tab of the browser app is open (PROTOCOL §7,
 * docs/browser-app.md "Updates"): the next build's service worker arrives
 * while changes typed offline still wait to be sent. The tab must say that a
 * new version is ready, and reloading into it must keep every unsent change,
 * which then reaches the server once. A server that refuses the old build
 * (426) gets "reload this page", never "install", in the status bar. The proxy between the
 * browser and the real server bin plays the upgraded server
 * (`serveNextBuild`, `schema_upgrade_required`).
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/support/server-process.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';
import { startSwitchableProxy, type SwitchableProxy } from '../../desktop/test/support/switchable-proxy.ts';
import { chromiumMissing, launchOnProfile, SCREENSHOTS, watchPage } from './support/chromium-profile.ts';
import { createAccountAndOrganization, registerPatient } from './support/first-visit.ts';
import { serverReader } from './support/server-rows.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

const ADA = { name: 'Ada Obi', email: 'ada@harbour.example', password: 'correct horse battery' };

describe.skipIf(skipReason !== null)('the browser app across a server upgrade', () => {
  const root = tempDir('browser-update');
  const problems: string[] = [];
  let server: ServerProcess;
  let proxy: SwitchableProxy;
  let context: BrowserContext;
  let page: Page;

  const cacheNames = (p: Page) => p.evaluate(() => caches.keys());

  async function registerAndList(given: string, family: string): Promise<void> {
    await registerPatient(page, given, family);
    await page.getByRole('link', { name: 'Patients', exact: true }).click();
  }

  beforeAll(async () => {
    server = await startServerProcess({ dataDir: join(root, 'server') });
    proxy = await startSwitchableProxy(server.url);
    context = await launchOnProfile(join(root, 'profile'));
    page = watchPage(await context.newPage(), problems);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await proxy?.close();
    await server?.stop();
  });

  it('tells the open tab a new version is ready, and reloading into it keeps the unsent changes', async () => {
    await createAccountAndOrganization(page, `${proxy.url}/app/`, ADA);
    await registerAndList('Amina', 'Bello');
    await page.locator('.status-pending[data-pending="0"]').waitFor({ timeout: 30_000 });
    await page.evaluate(() => navigator.serviceWorker.ready);
    const firstBuild = await cacheNames(page);
    expect(firstBuild).toHaveLength(1);

    // Offline, a patient is registered; the link comes back while the server, upgraded meanwhile,
    // takes no changes yet (its gateway fails every push that carries one).
    await context.setOffline(true);
    await registerAndList('Kofi', 'Mensah');
    await page.getByText('1 change waiting to sync').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('alert', { name: 'New version' }).count()).toBe(0);
    proxy.setMode('report_outbox_only');
    proxy.serveNextBuild('next');
    await context.setOffline(false);

    const notice = page.getByRole('alert', { name: 'New version' });
    await notice.waitFor({ timeout: 30_000 });
    await notice.getByText(/Everything saved in this browser stays, changes not yet sent included/).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'browser-06-new-version.png'), fullPage: true });

    await notice.getByRole('button', { name: 'Reload now' }).click();
    await page.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor({ timeout: 20_000 });
    expect(await cacheNames(page)).toEqual([`${firstBuild[0]}next`]);
    expect(await page.getByRole('alert', { name: 'New version' }).count()).toBe(0);
    await page.getByLabel('Email').fill(ADA.email);
    await page.getByLabel('Password').fill(ADA.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /Mensah, Kofi/ }).waitFor({ timeout: 20_000 });

    const reader = await serverReader(server.url, ADA);
    const patients = async () => (await reader.rows('patients')).map((row) => String(row.family_name)).sort();
    expect(await patients()).toEqual(['Bello']);
    proxy.setMode('pass');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.locator('.status-pending[data-pending="0"]').waitFor({ timeout: 60_000 });
    expect(await patients()).toEqual(['Bello', 'Mensah']);
    expect(problems).toEqual([]);
  }, 180_000);

  it('says to reload, not install, when the server refuses this build as too old, and announces the new one', async () => {
    // The next upgrade raises the schema version the server accepts: every sync answer is 426.
    proxy.serveNextBuild('next2');
    proxy.setMode('schema_upgrade_required');
    // The next change typed is pushed at once, and refused as from a build too old.
    await registerAndList('Esi', 'Owusu');
    await page.getByText('Reload this page to get the latest version of ClinicSync and resume syncing').waitFor({
      timeout: 30_000,
    });
    expect(await page.getByText('Install the latest version').count()).toBe(0);
    // And the new build is announced. (Chromium here also checks the service worker by itself a little after a
    // navigation, so this does not isolate the tab's own check on a refusal; app-updates.ts explains why it asks.)
    await page.getByRole('alert', { name: 'New version' }).waitFor({ timeout: 30_000 });
    expect(problems).toEqual([]);
  }, 90_000);
});
