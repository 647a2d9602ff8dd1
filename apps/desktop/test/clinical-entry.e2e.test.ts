/**
 * Journey: safe clinical entry and patient identity (PROTOCOL §2b) in the
 * desktop in Chromium. A patient gets a clinic number and shows her age; a
 * temperature typed as 382 is refused at the field, 38,2 is read as 38.2 and
 * flagged above normal; a blood pressure is typed as 120/80; a wrong entry is
 * marked entered in error and stays, struck through with its reason; search
 * finds her by a part of her hyphenated name and by her phone written another
 * way; registering her again warns of the likely duplicate before saving.
 */
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import { allSent, createAccountAndOrganization, shot, useClinic } from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)(
  'clinic desktop in Chromium: vital signs by kind, entered in error, clinic numbers and duplicates',
  () => {
    const clinic = useClinic();

    it('records vitals safely, keeps a wrong one marked, finds the patient and warns before registering her twice', async () => {
      await createAccountAndOrganization(clinic);
      const page = clinic.a.page;

      await page.getByRole('link', { name: 'Register patient' }).click();
      await page.getByLabel('Given name').fill('x'.repeat(201));
      await page.getByLabel('Family name').fill("O'Brien-Nkemelu");
      await page.getByLabel('Phone').fill('n/a');
      await page.getByRole('button', { name: 'Register patient' }).click();
      // An over-long name is an error at the field, never cut.
      await page.getByText('At most 200 characters.').waitFor();
      expect(await page.getByLabel('Given name').inputValue()).toHaveLength(201);
      // A phone with no digit is refused at its field, and read out with it.
      await expect
        .poll(() =>
          page
            .getByLabel('Phone')
            .evaluate((input) => document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent),
        )
        .toBe('Enter a phone number with its digits, or leave it empty.');
      await page.getByLabel('Given name').fill('Siobhán');
      await page.getByLabel('Birth date').fill('1990-02-28');
      await page.getByLabel('Phone').fill('+251 911 234 567');
      await page.getByRole('button', { name: 'Register patient' }).click();
      await page.getByRole('heading', { name: "O'Brien-Nkemelu, Siobhán" }).waitFor();
      const clinicNumber = (await page.locator('.chart-identity .clinic-number').innerText()).trim();
      expect(clinicNumber).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}-0001$/);
      await page
        .locator('.chart-identity')
        .getByText(/\d+ years/)
        .waitFor();

      await page.getByRole('button', { name: 'Record vital sign' }).click();
      const entry = page.getByRole('form', { name: 'Record vital sign' });
      await entry.getByLabel('Kind').selectOption('body_temperature');
      await entry.getByLabel('Value (°C)').fill('382');
      await entry.getByRole('button', { name: 'Save' }).click();
      await entry.getByText(/Outside what can be measured \(25–45 °C\)/).waitFor();
      await entry.getByLabel('Value (°C)').fill('38,2');
      await entry.getByText('Outside the normal range: above normal.').waitFor();
      await shot(page, '30-vital-entry-flagged');
      await entry.getByRole('button', { name: 'Save' }).click();
      const temperature = page.locator('.vital-tile[data-kind="body_temperature"]');
      await temperature.getByText('38.2 °C').waitFor();
      await temperature.getByText('above normal').waitFor();
      await temperature.locator('svg.vital-trend rect.normal-band').waitFor();

      await page.getByRole('button', { name: 'Record vital sign' }).click();
      await entry.getByLabel('Kind').selectOption('blood_pressure');
      await entry.getByLabel('Systolic/diastolic (mmHg)').fill('80/120');
      await entry.getByRole('button', { name: 'Save' }).click();
      await entry.getByText('The systolic (first number) must be above the diastolic.').waitFor();
      await entry.getByLabel('Systolic/diastolic (mmHg)').fill('120/80');
      await entry.getByRole('button', { name: 'Save' }).click();
      await page.locator('.vital-tile[data-kind="blood_pressure"]').getByText('120/80 mmHg').waitFor();

      // A wrong entry is marked, not deleted: struck through with its reason, still in the history.
      await page.getByRole('button', { name: /Mark Temperature of .* entered in error/ }).click();
      await page.getByLabel('Why is it wrong?').fill('Wrong patient');
      await page.getByRole('button', { name: 'Mark', exact: true }).click();
      const wrong = page.locator('.vital-history tr.entered-in-error');
      await wrong.getByText('Entered in error: Wrong patient').waitFor();
      await expect.poll(() => wrong.locator('s').first().innerText()).toBe('Temperature');
      await expect.poll(() => temperature.count()).toBe(0);
      await shot(page, '31-vitals-entered-in-error');

      // A medication is corrected the same way: marked with its reason, struck through, no longer editable.
      await page.getByRole('button', { name: 'Add medication' }).click();
      const medicationForm = page.getByRole('form', { name: 'Add medication' });
      expect(await medicationForm.getByLabel('Entered in error').count()).toBe(0);
      await medicationForm.getByLabel('Medication').fill('Amoxicillin');
      await medicationForm.getByLabel('Dose').fill('500 mg');
      await medicationForm.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('button', { name: 'Mark medication Amoxicillin entered in error' }).click();
      await page.getByRole('button', { name: 'Mark', exact: true }).click();
      await page.getByText('Say why this entry is wrong.').waitFor();
      await page.getByLabel('Why is it wrong?').fill('Prescribed for another patient');
      await page.getByRole('button', { name: 'Mark', exact: true }).click();
      const wrongMedication = page.locator('section[aria-labelledby="section-medications"] tr.entered-in-error');
      await wrongMedication.getByText('Entered in error: Prescribed for another patient').waitFor();
      await expect.poll(() => wrongMedication.locator('s').first().innerText()).toBe('Amoxicillin');
      expect(await page.getByRole('button', { name: 'Edit medication Amoxicillin' }).count()).toBe(0);
      await allSent(page);

      // Search by a word part after a separator, by the phone written another way, by the clinic number.
      await page.getByRole('link', { name: 'Patients', exact: true }).click();
      for (const query of ['Nkemelu', '0911234567', clinicNumber.toLowerCase()]) {
        await page.getByLabel('Search patients').fill(query);
        await page.locator('.patient-list .patient-name').filter({ hasText: "O'Brien-Nkemelu, Siobhán" }).waitFor();
      }

      // Registering her again (another spelling of the same phone) warns before saving.
      await page.getByRole('link', { name: 'Register patient' }).click();
      await page.getByLabel('Given name').fill('Siobhan');
      await page.getByLabel('Family name').fill('Nkemelu');
      await page.getByLabel('Phone').fill('0911 234 567');
      await page.getByRole('button', { name: 'Register patient' }).click();
      await page.getByText('This may be a patient who is already registered.').waitFor();
      await page.locator('.duplicate-list').getByText('same phone').waitFor();
      await shot(page, '32-register-duplicate-warning');
      await page.locator('.duplicate-list').getByRole('link', { name: "O'Brien-Nkemelu, Siobhán" }).click();
      await page.getByRole('heading', { name: "O'Brien-Nkemelu, Siobhán" }).waitFor();
    }, 120_000);
  },
);
