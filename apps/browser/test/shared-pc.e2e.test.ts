/**
 * The browser app on a shared clinic PC, in Debian's Chromium against the
 * real server bin: a clinician signs out with a patient's chart open and a
 * colleague signs in on the same browser. The colleague starts on the
 * patient list, in every tab, never on the chart the previous person had
 * open (where the next vital sign typed would go to the wrong patient).
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../packages/server/test/support/http-client.ts';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/support/server-process.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';
import { invite } from '../../desktop/test/support/clinic.ts';
import { createAccountAndOrganization, registerPatient } from './support/first-visit.ts';
import { chromiumMissing, launchOnProfile, watchPage } from './support/chromium-profile.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

const ADA = { name: 'Ada Obi', email: 'ada@harbour.example', password: 'correct horse battery' };
const BEN = { name: 'Ben Cole', email: 'ben@harbour.example', password: 'staple battery horse' };

describe.skipIf(skipReason !== null)('the browser app on a shared PC', () => {
  const root = tempDir('browser-shared-pc');
  const problems: string[] = [];
  let server: ServerProcess;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess({ dataDir: join(root, 'server') });
    context = await launchOnProfile(join(root, 'profile'));
    page = watchPage(await context.newPage(), problems);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  it('starts the next person on the patient list, not on the chart the previous person left open', async () => {
    const appUrl = `${server.url}/app/`;
    await createAccountAndOrganization(page, appUrl, ADA);
    await registerPatient(page, 'Amina', 'Bello');
    await page.locator('.status-pending[data-pending="0"]').waitFor({ timeout: 30_000 });
    await call(server.url, 'POST', '/v1/auth/register', { body: BEN });
    await invite(page, BEN.email, 'clinician');

    // Ada goes back to her patient's chart, in this tab and a second one, then signs out.
    await page.getByRole('link', { name: 'Patients', exact: true }).click();
    await page.getByRole('link', { name: /Bello, Amina/ }).click();
    await page.getByRole('heading', { name: 'Bello, Amina' }).waitFor();
    const second = watchPage(await context.newPage(), problems);
    await second.goto(page.url());
    await second.getByRole('heading', { name: 'Bello, Amina' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: ADA.name }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor();
    await second.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor();

    // Ben signs in on the same browser and joins the clinic.
    await page.getByLabel('Email').fill(BEN.email);
    await page.getByLabel('Password').fill(BEN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Accept' }).first().click({ timeout: 20_000 });
    await page.getByRole('link', { name: /Bello, Amina/ }).waitFor({ timeout: 30_000 });
    await second.getByRole('link', { name: /Bello, Amina/ }).waitFor({ timeout: 30_000 });
    for (const tab of [page, second]) {
      await tab.getByRole('heading', { name: 'Patients' }).waitFor();
      expect(await tab.getByRole('heading', { name: 'Bello, Amina' }).count()).toBe(0);
      expect(new URL(tab.url()).hash).not.toContain('patients/');
    }
    expect(problems).toEqual([]);
  }, 150_000);
});
