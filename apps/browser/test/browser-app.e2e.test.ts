/**
 * The browser app end to end, in Debian's Chromium against the real
 * `clinicsync-server` bin, reached through a proxy on another port (as a
 * clinic's reverse proxy would be; PROTOCOL §7). One profile folder is kept
 * for the whole suite so the browser can be closed and started again on it.
 * What the server holds is read through the API by a test device of the same
 * person. Screenshots go to test-artifacts/screenshots/.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/support/server-process.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';
import { openDesktop } from '../../desktop/test/support/browser.ts';
import { startDesktopProcess, type DesktopProcess } from '../../desktop/test/support/desktop-process.ts';
import { startSwitchableProxy, type SwitchableProxy } from '../../desktop/test/support/switchable-proxy.ts';
import { chromiumMissing, launchOnProfile, SCREENSHOTS, watchPage } from './support/chromium-profile.ts';
import { serverReader, type ServerReader } from './support/server-rows.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

const ADA = { name: 'Ada Obi', email: 'ada@harbour.example', password: 'correct horse battery' };

describe.skipIf(skipReason !== null)('the browser app in Chromium', () => {
  const root = tempDir('browser-e2e');
  const profile = join(root, 'profile');
  const problems: string[] = [];
  let server: ServerProcess;
  let proxy: SwitchableProxy;
  let appUrl: string;
  let context: BrowserContext;
  let page: Page;
  let reader: ServerReader;
  let desktop: DesktopProcess | undefined;
  let desktopContext: BrowserContext | undefined;

  const shot = (p: Page, name: string) =>
    p.screenshot({ path: join(SCREENSHOTS, `browser-${name}.png`), fullPage: true });
  const allSent = (p: Page, timeout = 30_000) => p.locator('.status-pending[data-pending="0"]').waitFor({ timeout });
  const patientNames = async () =>
    (await reader.rows('patients')).map((row) => `${row.family_name}, ${row.given_name}`).sort();

  const newPage = async () => watchPage(await context.newPage(), problems);

  async function registerPatient(p: Page, given: string, family: string): Promise<void> {
    await p.getByRole('link', { name: 'Register patient' }).click();
    await p.getByLabel('Given name').fill(given);
    await p.getByLabel('Family name').fill(family);
    await p.getByRole('button', { name: 'Register patient' }).click();
    await p.getByRole('heading', { name: `${family}, ${given}` }).waitFor();
    await p.getByRole('link', { name: 'Patients', exact: true }).click();
  }

  async function signIn(p: Page): Promise<void> {
    await p.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor({ timeout: 20_000 });
    await p.getByLabel('Email').fill(ADA.email);
    await p.getByLabel('Password').fill(ADA.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Patients' }).waitFor({ timeout: 20_000 });
  }

  beforeAll(async () => {
    server = await startServerProcess({ dataDir: join(root, 'server') });
    proxy = await startSwitchableProxy(server.url);
    appUrl = `${proxy.url}/app/`;
    context = await launchOnProfile(profile);
    page = await newPage();
  }, 120_000);

  afterAll(async () => {
    await desktopContext?.close();
    await context?.close();
    await desktop?.stop();
    await proxy?.close();
    await server?.stop();
  });

  it('on the first visit creates an account and an organization, syncs, and installs its service worker', async () => {
    // The first visit builds the app on the server, which can take a few seconds.
    await page.goto(appUrl, { timeout: 60_000 });
    await page.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Your name').fill(ADA.name);
    await page.getByLabel('Email').fill(ADA.email);
    await page.getByLabel('Password').fill(ADA.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Create an organization' }).waitFor({ timeout: 20_000 });
    await page.getByLabel('Organization name').fill('Harbour Clinic');
    await page.getByLabel('First team').fill('Outpatients');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
    await registerPatient(page, 'Amina', 'Bello');
    await allSent(page);

    reader = await serverReader(server.url, ADA);
    expect(await patientNames()).toEqual(['Bello, Amina']);
    // The store is persistent storage, and the page says how much it uses.
    // It counts what this visit stored (the store, the app's files), not the empty site of the first moment.
    await page.getByText(/Storage used on this browser: [\d.]+ [KMG]B of .+\./).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.state ?? 'none'))).toBe(
      'activated',
    );
    const manifest = await page.evaluate(async () =>
      (await fetch(document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href)).json(),
    );
    expect(manifest).toMatchObject({ name: 'ClinicSync', display: 'standalone', start_url: './' });
    await shot(page, '01-first-visit');
  }, 120_000);

  it('works with no network: saves a patient offline and keeps it across a reload while offline', async () => {
    await context.setOffline(true);
    await registerPatient(page, 'Kofi', 'Mensah');
    await page.getByRole('link', { name: /Mensah, Kofi/ }).waitFor();
    await page.getByText('1 change waiting to sync').waitFor({ timeout: 20_000 });

    // A reload with no network: the service worker serves the app, the auth token (memory only) is gone,
    // and the password this browser saw accepted opens an offline session on the same store.
    await page.reload();
    await signIn(page);
    await page.getByRole('link', { name: /Mensah, Kofi/ }).waitFor();
    await page.getByRole('link', { name: /Bello, Amina/ }).waitFor();
    await shot(page, '02-offline-reload');
  }, 90_000);

  it('starts, signs in and works offline after the browser is closed and started again on the same profile', async () => {
    await context.close();
    context = await launchOnProfile(profile);
    await context.setOffline(true);
    page = await newPage();
    await page.goto(appUrl);
    await signIn(page);
    await page.getByRole('link', { name: /Mensah, Kofi/ }).waitFor();
    await registerPatient(page, 'Esi', 'Owusu');
    await page.getByText('2 changes waiting to sync').waitFor({ timeout: 20_000 });
    await shot(page, '03-offline-after-restart');

    // Back online, everything typed offline reaches the server.
    await context.setOffline(false);
    await allSent(page, 60_000);
    expect(await patientNames()).toEqual(['Bello, Amina', 'Mensah, Kofi', 'Owusu, Esi']);
  }, 120_000);

  it('shares one store between two tabs, each seeing the other’s writes at once', async () => {
    const second = await newPage();
    await second.goto(appUrl);
    // The session lives with the store: the second tab is signed in already.
    await second.getByRole('heading', { name: 'Patients' }).waitFor({ timeout: 20_000 });
    await second.getByRole('link', { name: /Owusu, Esi/ }).waitFor();
    await registerPatient(second, 'Zara', 'Ali');
    await page.getByRole('link', { name: /Ali, Zara/ }).waitFor({ timeout: 5_000 });
    await registerPatient(page, 'Yaw', 'Boateng');
    await second.getByRole('link', { name: /Boateng, Yaw/ }).waitFor({ timeout: 5_000 });
    await allSent(page);
    await allSent(second);
    await second.close();
  }, 90_000);

  it('hands the store to another tab when the leading tab closes, without losing queued writes', async () => {
    const follower = await newPage();
    await follower.goto(appUrl);
    await follower.getByRole('heading', { name: 'Patients' }).waitFor({ timeout: 20_000 });
    await context.setOffline(true);
    await registerPatient(page, 'Leader', 'Queued');
    await registerPatient(follower, 'Follower', 'Queued');
    await follower.getByText('2 changes waiting to sync').waitFor({ timeout: 20_000 });

    // The leader's tab goes away; the follower's worker takes the lock and reopens the store.
    await page.close();
    page = follower;
    await signIn(page);
    await page.getByRole('link', { name: /Queued, Leader/ }).waitFor();
    await page.getByRole('link', { name: /Queued, Follower/ }).waitFor();
    await page.getByText('2 changes waiting to sync').waitFor({ timeout: 20_000 });
    await shot(page, '04-after-hand-over');

    await context.setOffline(false);
    await allSent(page, 60_000);
    const names = await patientNames();
    expect(names).toEqual(expect.arrayContaining(['Queued, Leader', 'Queued, Follower']));
  }, 120_000);

  it('converges with a desktop app on the same server', async () => {
    desktop = await startDesktopProcess({ serverUrl: server.url, dataDir: join(root, 'desktop') });
    desktopContext = await launchOnProfile(join(root, 'desktop-profile'));
    const desk = watchPage(await openDesktop(desktopContext, desktop), problems);
    await signIn(desk);
    await desk.getByRole('link', { name: /Queued, Follower/ }).waitFor({ timeout: 20_000 });
    await registerPatient(desk, 'Desk', 'Entry');
    await allSent(desk);
    await page.getByRole('link', { name: /Entry, Desk/ }).waitFor({ timeout: 40_000 });

    await registerPatient(page, 'Tab', 'Entry');
    await allSent(page);
    await desk.getByRole('link', { name: /Entry, Tab/ }).waitFor({ timeout: 40_000 });

    // Both devices and the server hold the same nine patients.
    expect(await patientNames()).toHaveLength(9);
    await page.getByText('9 patients').waitFor();
    await desk.getByText('9 patients').waitFor();
  }, 150_000);

  it('fails closed when the storage cannot be opened, and never runs on memory', async () => {
    // A program of the same origin holds the store's files (here: a worker keeping a sync access handle).
    const other = await launchOnProfile(join(root, 'locked-profile'));
    try {
      const holder = await other.newPage();
      await holder.goto(`${server.url}/healthz`);
      await holder.evaluate(async () => {
        const source = `(async () => {
          const root = await navigator.storage.getDirectory();
          const store = await root.getDirectoryHandle('.clinicsync-store', { create: true });
          const opaque = await store.getDirectoryHandle('.opaque', { create: true });
          const file = await opaque.getFileHandle('held-by-another-program', { create: true });
          self.held = await file.createSyncAccessHandle();
          postMessage('held');
        })().catch((e) => postMessage('error ' + e.name));`;
        const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
        const answer = await new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data)));
        if (answer !== 'held') throw new Error(String(answer));
        (globalThis as { holder?: Worker }).holder = worker;
      });
      const app = await other.newPage();
      const appProblems: string[] = [];
      watchPage(app, appProblems);
      await app.goto(`${server.url}/app/`);
      await app.getByRole('heading', { name: 'ClinicSync cannot open its storage' }).waitFor({ timeout: 30_000 });
      await app.getByText('the storage is in use by another window or program').waitFor();
      expect(await app.getByRole('heading', { name: 'Sign in to ClinicSync' }).count()).toBe(0);
      expect(await app.getByLabel('Email').count()).toBe(0);
      await shot(app, '05-fail-closed');
    } finally {
      await other.close();
    }
  }, 90_000);

  it('broke no Content-Security-Policy rule and threw nothing on any page', () => {
    expect(problems).toEqual([]);
  });
});
