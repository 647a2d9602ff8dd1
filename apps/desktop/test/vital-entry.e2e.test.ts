/**
 * Journey: a nurse records vital signs as she would at the bedside, in the
 * desktop in Chromium (PROTOCOL §2b). The adult normal range stands next to
 * the value before she types; a heart rate of 72.5 is a slip refused at the
 * field, not recorded and shown as 73; a newborn's 3,425 kg keeps its grams
 * on the chart; a time in the future is an error at "Recorded at", which gets
 * the focus; and a value half-typed when she is called away is still there
 * when she comes back to the chart. From the keyboard, a form opened in
 * place of its button takes the focus and gives it back when closed.
 */
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import { allSent, createAccountAndOrganization, registerPatient, shot, useClinic } from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

const pad = (n: number) => String(n).padStart(2, '0');
/** A `datetime-local` value `hours` from now, in the page's time zone. */
const inputIn = (hours: number) => {
  const d = new Date(Date.now() + hours * 3_600_000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: recording vital signs at the bedside', () => {
  const clinic = useClinic();

  it('shows the normal range, refuses slips at the field, shows what was recorded and keeps a half-typed value', async () => {
    await createAccountAndOrganization(clinic);
    const page = clinic.a.page;
    const patientId = await registerPatient(page, 'Adaeze', 'Okafor');

    const focused = () =>
      page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.textContent);
    // From the keyboard: the form takes the focus from its button, and Cancel gives it back.
    await page.getByRole('button', { name: 'Record vital sign' }).focus();
    await page.keyboard.press('Enter');
    const entry = page.getByRole('form', { name: 'Record vital sign' });
    await expect.poll(focused).toBe('kind');
    await entry.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('Record vital sign');
    await page.getByRole('button', { name: 'Add medication' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('code');
    await page.getByRole('form', { name: 'Add medication' }).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(focused).toBe('Add medication');
    // A row's Edit form takes the focus, and gives it back to the row's Edit button.
    await page.getByRole('button', { name: 'Add medication' }).click();
    const medication = page.getByRole('form', { name: 'Add medication' });
    await medication.getByLabel('Medication').fill('Paracetamol');
    await medication.getByLabel('Dose').fill('500 mg');
    await medication.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Edit medication Paracetamol' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('code');
    await page.getByRole('form', { name: 'Edit medication' }).getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Edit medication Paracetamol');

    await page.getByRole('button', { name: 'Record vital sign' }).click();
    const value = entry.getByLabel('Value (°C)');
    // The normal range is there before anything is typed, and read out with the field.
    await expect.poll(() => value.getAttribute('aria-describedby')).toBeTruthy();
    await entry.getByText('Normal (adult): 36.1–37.5 °C').waitFor();
    const describedBy = async (field: typeof value) =>
      field.evaluate((input) =>
        (input.getAttribute('aria-describedby') ?? '')
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' '),
      );
    expect(await describedBy(value)).toContain('Normal (adult): 36.1–37.5 °C');
    await entry.getByLabel('Kind').selectOption('blood_pressure');
    await entry.getByText('Normal (adult): 90–120 / 60–80 mmHg').waitFor();

    // A fraction of a heartbeat is a slip: refused at the field, in words, with what was typed kept.
    await entry.getByLabel('Kind').selectOption('heart_rate');
    await entry.getByLabel('Value (beats/min)').fill('72.5');
    await entry.getByLabel('Value (beats/min)').press('Enter');
    await entry.getByText('Enter a whole number in beats/min, e.g. 80.').waitFor();
    expect(await entry.getByLabel('Value (beats/min)').inputValue()).toBe('72.5');
    expect(await page.locator('.vital-history tbody tr').count()).toBe(0);

    // A time in the future is refused next to "Recorded at", which gets the focus.
    await entry.getByLabel('Value (beats/min)').fill('72');
    await entry.getByLabel('Recorded at').fill(inputIn(2));
    await entry.getByRole('button', { name: 'Save' }).click();
    await entry.getByText('Cannot be in the future.').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('recorded_at');
    expect(await describedBy(entry.getByLabel('Recorded at'))).toBe('Cannot be in the future.');
    await shot(page, '34-vital-entry-future-time');
    await entry.getByLabel('Recorded at').fill(inputIn(-1));
    await entry.getByRole('button', { name: 'Save' }).click();
    const heart = page.locator('.vital-tile[data-kind="heart_rate"]');
    await heart.getByText('72 beats/min').waitFor();
    await heart.getByText('Normal (adult): 60–100 beats/min').waitFor();

    // Marking it entered in error from the keyboard: the reason field takes the focus, an empty reason keeps it.
    await page.getByRole('button', { name: /Mark Heart rate of .* entered in error/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('error_reason');
    await page.keyboard.press('Enter');
    await page.getByText('Say why this entry is wrong.').waitFor();
    await expect.poll(focused).toBe('error_reason');
    await page.getByRole('form', { name: 'Mark entered in error' }).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(focused).toBe('Mark entered in error');

    // A newborn's weight from a gram scale: the chart shows the grams recorded, not a rounded 3.4 kg.
    await page.getByRole('button', { name: 'Record vital sign' }).click();
    await entry.getByLabel('Kind').selectOption('body_weight');
    await entry.getByLabel('Value (kg)').fill('3,425');
    await entry.getByRole('button', { name: 'Save' }).click();
    await page.locator('.vital-tile[data-kind="body_weight"]').getByText('3.425 kg').waitFor();

    // Called away mid-entry: another screen, then back to the chart, the entry is open with what was typed.
    await page.getByRole('button', { name: 'Record vital sign' }).click();
    await entry.getByLabel('Kind').selectOption('body_temperature');
    await entry.getByLabel('Value (°C)').fill('38,4');
    await page.getByRole('link', { name: 'Appointments', exact: true }).click();
    await page.getByRole('heading', { name: 'Appointments' }).waitFor();
    await page.goto(`${clinic.a.desktop.appUrl}#/patients/${patientId}`);
    await page.getByRole('heading', { name: 'Okafor, Adaeze' }).waitFor();
    await entry.getByText(/Restored what you typed before/).waitFor();
    expect(await entry.getByLabel('Value (°C)').inputValue()).toBe('38,4');
    await shot(page, '35-vital-entry-restored');
    await entry.getByRole('button', { name: 'Save' }).click();
    await page.locator('.vital-tile[data-kind="body_temperature"]').getByText('38.4 °C').waitFor();
    await allSent(page);

    // Saved, the draft is gone: the chart opens again without an entry form.
    await page.reload();
    await page.getByRole('heading', { name: 'Okafor, Adaeze' }).waitFor();
    await page.locator('.vital-tile[data-kind="body_temperature"]').waitFor();
    expect(await entry.count()).toBe(0);
  }, 120_000);
});
