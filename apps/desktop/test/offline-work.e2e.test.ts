/** Journey: the server is down; the clinic registers a patient and books her, and it all syncs when the server is back. */
import { describe, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import { allSent, bookAndArrive, createAccountAndOrganization, shot, useClinic } from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: working while the server is stopped', () => {
  const clinic = useClinic();

  it('registers a patient and books an appointment while the server is stopped, then syncs them', async () => {
    await createAccountAndOrganization(clinic);
    const pageA = clinic.a.page;
    await clinic.stopServer();
    await pageA.getByRole('link', { name: 'Register patient' }).click();
    await pageA.getByRole('button', { name: 'Register patient' }).click();
    await pageA.getByText('2 fields need attention.').waitFor();
    await shot(pageA, '03-register-patient-validation');
    await pageA.getByLabel('Given name').fill('Amina');
    await pageA.getByLabel('Family name').fill('Bello');
    await pageA.getByLabel('Birth date').fill('1990-04-12');
    await pageA.getByLabel('Sex').selectOption('female');
    await pageA.getByLabel('Phone').fill('0803 555 0100');
    await pageA.getByRole('button', { name: 'Register patient' }).click();
    await pageA.getByRole('heading', { name: 'Bello, Amina' }).waitFor();

    await bookAndArrive(pageA, 'Bello, Amina', 'Follow-up, blood pressure', async () => {
      await pageA
        .getByText('Changes are saved on this computer and sent when the server is back')
        .waitFor({ timeout: 20_000 });
      await pageA.getByText('2 changes waiting to sync').waitFor();
      await shot(pageA, '04-appointment-book-offline');
      await clinic.restartServer();
      await allSent(pageA);
      await pageA.getByText('Up to date').waitFor();
    });
    await shot(pageA, '05-appointment-book-synced');
  }, 90_000);
});
