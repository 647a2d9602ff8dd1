/**
 * Live sync on screen, in Debian's Chromium against real processes (PROTOCOL
 * §4 "Live"): a receptionist's desktop and a clinician's desktop on one
 * server. The sync timer of both desktops is set to ten minutes, so what
 * reaches the other screen within the test's waits came through the waiting
 * pull. New data appears in the patient list, the appointment book and the
 * open chart without reloading, and is briefly marked "New" or "Updated".
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { call } from '../../../packages/server/test/support/http-client.ts';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/support/server-process.ts';
import { chromiumMissing, launchChromium, openDesktop } from './support/browser.ts';
import { startDesktopProcess, type DesktopProcess } from './support/desktop-process.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

const RECEPTION = { name: 'Rita Adeyemi', email: 'rita@harbour.example', password: 'correct horse battery' };
const CLINICIAN = { name: 'Kofi Boateng', email: 'kofi@harbour.example', password: 'staple battery horse' };
// Far beyond every wait below: nothing in this suite may arrive by the timer.
const NO_TIMER = { CLINICSYNC_SYNC_INTERVAL_MS: String(10 * 60 * 1000) };
const ARRIVES = { timeout: 20_000 };

describe.skipIf(skipReason !== null)('live sync between two desktops in Chromium', () => {
  const root = tempDir('live-e2e');
  let server: ServerProcess;
  let desktopA: DesktopProcess;
  let desktopB: DesktopProcess;
  let browser: BrowserContext;
  let reception: Page;
  let clinician: Page;
  let patientId = '';

  async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
    await page.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor();
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const allSent = (page: Page) => page.locator('.status-pending[data-pending="0"]').waitFor({ timeout: 20_000 });

  beforeAll(async () => {
    server = await startServerProcess({ dataDir: join(root, 'server') });
    for (const person of [RECEPTION, CLINICIAN]) await call(server.url, 'POST', '/v1/auth/register', { body: person });
    desktopA = await startDesktopProcess({ serverUrl: server.url, dataDir: join(root, 'desktop-a'), env: NO_TIMER });
    desktopB = await startDesktopProcess({ serverUrl: server.url, dataDir: join(root, 'desktop-b'), env: NO_TIMER });
    browser = await launchChromium();

    // The receptionist creates the clinic and adds the clinician, who signs in on the second desktop.
    reception = await openDesktop(browser, desktopA);
    await signIn(reception, RECEPTION);
    await reception.getByRole('heading', { name: 'Create an organization' }).waitFor();
    await reception.getByLabel('Organization name').fill('Harbour Clinic');
    await reception.getByLabel('First team').fill('Outpatients');
    await reception.getByRole('button', { name: 'Create organization' }).click();
    await reception.getByRole('heading', { name: 'Patients' }).waitFor();
    await reception.getByRole('link', { name: 'Members' }).click();
    await reception.getByLabel('Email').fill(CLINICIAN.email);
    await reception.getByLabel('Role', { exact: true }).selectOption('clinician');
    await reception.getByRole('button', { name: 'Send invitation' }).click();
    await reception.getByText(`Invitation sent to ${CLINICIAN.email}`).waitFor();
    await allSent(reception);

    // The clinician accepts the invitation on their own desktop (PROTOCOL §1b).
    clinician = await openDesktop(browser, desktopB);
    await signIn(clinician, CLINICIAN);
    await clinician.getByRole('button', { name: 'Accept' }).click();
    await clinician.getByRole('heading', { name: 'Patients' }).waitFor({ timeout: 20_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await desktopA?.stop();
    await desktopB?.stop();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("a patient registered at the desk appears in the clinician's list, marked new", async () => {
    await reception.getByRole('link', { name: 'Patients', exact: true }).click();
    await reception.getByRole('link', { name: 'Register patient' }).click();
    await reception.getByLabel('Given name').fill('Chidi');
    await reception.getByLabel('Family name').fill('Okeke');
    await reception.getByLabel('Phone').fill('0803 555 0199');
    await reception.getByRole('button', { name: 'Register patient' }).click();
    await reception.getByRole('heading', { name: 'Okeke, Chidi' }).waitFor();
    patientId = reception.url().split('/').pop()!;

    const row = clinician.getByRole('link', { name: /Okeke, Chidi/ });
    await row.waitFor(ARRIVES);
    await row.getByText('New', { exact: true }).waitFor();
    // The mark fades: it is for what just arrived, not a permanent label.
    await row.getByText('New', { exact: true }).waitFor({ state: 'detached', timeout: 20_000 });
  }, 60_000);

  it('a booking and its "Arrived" reach the clinician\'s appointment book without reloading', async () => {
    await clinician.getByRole('link', { name: 'Appointments', exact: true }).click();
    await clinician.getByRole('heading', { name: 'Appointments' }).waitFor();

    await reception.getByRole('link', { name: 'Appointments', exact: true }).click();
    // Both look at tomorrow, where a booking starts at 09:00: today's default start (the next full hour)
    // falls on tomorrow in the day's last hour, away from the day the clinician would be watching.
    await clinician.getByRole('button', { name: 'Next day' }).click();
    await reception.getByRole('button', { name: 'Next day' }).click();
    await reception.getByRole('button', { name: 'Book appointment' }).click();
    await reception.getByRole('combobox', { name: 'Patient' }).fill('oke');
    await reception.getByRole('option', { name: /Okeke, Chidi/ }).click();
    await reception.getByLabel('Reason').fill('Cough for two weeks');
    await reception.getByRole('button', { name: 'Book appointment' }).click();
    await reception.locator('.book-entry').filter({ hasText: 'Okeke, Chidi' }).waitFor();

    const entry = clinician.locator('.book-entry').filter({ hasText: 'Okeke, Chidi' });
    await entry.waitFor(ARRIVES);
    await entry.locator('.badge-incoming').waitFor();

    await reception
      .locator('.book-entry')
      .filter({ hasText: 'Okeke, Chidi' })
      .getByRole('button', { name: 'Arrived' })
      .click();
    await entry.locator('.badge-arrived').waitFor(ARRIVES);
    await entry.getByText('Updated', { exact: true }).waitFor();
  }, 60_000);

  it("an edit of the patient's details shows in the chart the clinician has open", async () => {
    await clinician.goto(`${desktopB.appUrl}#/patients/${patientId}`);
    await clinician.getByRole('heading', { name: 'Okeke, Chidi' }).waitFor();

    await reception.goto(`${desktopA.appUrl}#/patients/${patientId}/edit`);
    await reception.getByLabel('Phone').fill('0803 555 0242');
    await reception.getByRole('button', { name: 'Save changes' }).click();
    await reception.getByRole('heading', { name: 'Okeke, Chidi' }).waitFor();

    const details = clinician.locator('section.card', { has: clinician.getByRole('heading', { name: /Details/ }) });
    await details.getByText('0803 555 0242').waitFor(ARRIVES);
    await details.getByText('Updated', { exact: true }).waitFor();
  }, 60_000);
});
