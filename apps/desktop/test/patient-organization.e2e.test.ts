/**
 * Journey: a person who works for two organizations opens a patient of one
 * while the other is selected (the Back button after switching, a pasted
 * link). The chart is not shown under the wrong organization, where it would
 * offer that organization's teams for a booking the server refuses later:
 * the screen says whose patient it is and switches on request.
 */
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import { createAccountAndOrganization, registerPatient, shot, useClinic } from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: a patient opened under another organization', () => {
  const clinic = useClinic();

  it("shows a patient's chart only in the patient's own organization", async () => {
    await createAccountAndOrganization(clinic);
    const page = clinic.a.page;
    const patientId = await registerPatient(page, 'Chiamaka', 'Eze');

    await page.getByLabel('Organization', { exact: true }).selectOption({ label: 'New organization…' });
    await page.getByLabel('Organization name').fill('Hilltop Health');
    await page.getByLabel('First team').fill('Maternity');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
    await expect.poll(() => page.getByLabel('Organization', { exact: true }).inputValue()).not.toBe('');

    // Back to the chart: Hilltop is selected, the patient is Sunrise's.
    await page.goBack();
    await page.goBack();
    await page
      .getByText('This patient is registered with Sunrise Clinic. You are working in Hilltop Health.')
      .waitFor();
    expect(await page.getByRole('heading', { name: 'Eze, Chiamaka' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Book appointment' }).count()).toBe(0);
    await shot(page, '36-patient-of-another-organization');

    await page.getByRole('button', { name: 'Switch to Sunrise Clinic' }).click();
    await page.getByRole('heading', { name: 'Eze, Chiamaka' }).waitFor();
    expect(page.url()).toContain(patientId);
    await page.getByRole('button', { name: 'Book appointment' }).click();
    const teams = await page
      .getByRole('form', { name: 'Book appointment' })
      .getByLabel('Team')
      .evaluate((select) => [...(select as HTMLSelectElement).options].map((o) => o.text));
    expect(teams).toEqual(['Choose…', 'Outpatients']);
  }, 120_000);
});
