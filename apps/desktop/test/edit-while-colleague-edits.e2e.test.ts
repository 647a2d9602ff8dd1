/**
 * Journey: Ada has a patient's details open for editing while Ben, on his
 * desktop, adds a note to the same patient. Ben's note appears in Ada's open
 * form, and fixing the phone number there does not wipe it; when both change
 * the same field, Ada's form names it, with Ben's value, before saving over it.
 */
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import {
  addColleague,
  allSent,
  BEN,
  createAccountAndOrganization,
  registerPatient,
  shot,
  signIn,
  useClinic,
} from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: editing while a colleague edits', () => {
  const clinic = useClinic();

  it("keeps a colleague's change made while the form was open, and names a field both changed", async () => {
    await createAccountAndOrganization(clinic);
    await addColleague(clinic, BEN);
    const ada = clinic.a.page;
    const patientId = await registerPatient(ada, 'Kofi', 'Asante');
    await allSent(ada);
    const b = await clinic.b();
    await signIn(b, BEN);
    const ben = b.page;
    const edit = async (page: typeof ada, url: string) => {
      await page.goto(`${url}#/patients/${patientId}/edit`);
      await page.getByRole('heading', { name: 'Edit Asante, Kofi' }).waitFor({ timeout: 20_000 });
    };

    await edit(ada, clinic.a.desktop.appUrl);
    await edit(ben, b.desktop.appUrl);
    await ben.getByLabel('Notes').fill('Allergic to penicillin');
    await ben.getByRole('button', { name: 'Save changes' }).click();
    await ben.getByRole('heading', { name: 'Asante, Kofi' }).waitFor();
    await allSent(ben);

    // Ben's note reaches Ada's open form; her phone fix saves the phone only.
    await expect.poll(() => ada.getByLabel('Notes').inputValue(), { timeout: 20_000 }).toBe('Allergic to penicillin');
    await ada.getByLabel('Phone').fill('+233 20 123 4567');
    await ada.getByRole('button', { name: 'Save changes' }).click();
    await ada.getByRole('heading', { name: 'Asante, Kofi' }).waitFor();
    const details = ada.locator('.details');
    await details.getByText('+233 20 123 4567').waitFor();
    await details.getByText('Allergic to penicillin').waitFor();
    await allSent(ada);
    await ben.locator('.details').getByText('+233 20 123 4567').waitFor({ timeout: 20_000 });
    await ben.locator('.details').getByText('Allergic to penicillin').waitFor();

    // Both change the phone: Ada's form shows Ben's newer number before saving over it.
    await edit(ada, clinic.a.desktop.appUrl);
    await ada.getByLabel('Phone').fill('+233 20 765 4321');
    await edit(ben, b.desktop.appUrl);
    await ben.getByLabel('Phone').fill('+233 24 000 1111');
    await ben.getByRole('button', { name: 'Save changes' }).click();
    await ben.getByRole('heading', { name: 'Asante, Kofi' }).waitFor();
    await allSent(ben);
    // Ben's number has reached Ada's desktop (its chart in another tab shows it); her typed one stays in her form.
    const chart = await clinic.browser.newPage();
    await chart.goto(`${clinic.a.desktop.appUrl}#/patients/${patientId}`);
    await chart.locator('.details').getByText('+233 24 000 1111').waitFor({ timeout: 20_000 });
    await chart.close();
    expect(await ada.getByLabel('Phone').inputValue()).toBe('+233 20 765 4321');
    await ada.getByRole('button', { name: 'Save changes' }).click();
    await ada.getByText('Changed on another device while you were editing.').waitFor({ timeout: 20_000 });
    await ada.getByText('Phone: now “+233 24 000 1111”, yours “+233 20 765 4321”').waitFor();
    await shot(ada, '37-changed-on-another-device');
    await ada.getByRole('button', { name: 'Save changes anyway' }).click();
    await ada.getByRole('heading', { name: 'Asante, Kofi' }).waitFor();
    await ada.locator('.details').getByText('+233 20 765 4321').waitFor();
    await ada.locator('.details').getByText('Allergic to penicillin').waitFor();
  }, 150_000);
});
