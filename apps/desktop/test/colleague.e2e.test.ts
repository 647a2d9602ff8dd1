/** Journey: Ada adds Ben by email; Ben signs in on a second desktop, sees her records and adds to the chart. */
import { describe, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import {
  addColleague,
  allSent,
  BEN,
  bookAndArrive,
  createAccountAndOrganization,
  registerPatient,
  shot,
  signIn,
  useClinic,
} from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: a colleague on a second desktop', () => {
  const clinic = useClinic();

  it('adds a colleague by email, who sees the records on a second desktop', async () => {
    await createAccountAndOrganization(clinic);
    const pageA = clinic.a.page;
    await registerPatient(pageA, 'Amina', 'Bello');
    await bookAndArrive(pageA, 'Bello, Amina', 'Follow-up, blood pressure');

    await addColleague(clinic, BEN);
    await shot(pageA, '06-members');

    const b = await clinic.b();
    const pageB = b.page;
    await signIn(b, BEN);
    await pageB.getByRole('link', { name: /Bello, Amina/ }).click();
    await pageB.getByRole('heading', { name: 'Bello, Amina' }).waitFor();
    await pageB.getByRole('cell', { name: 'Follow-up, blood pressure' }).waitFor();
    await pageB.getByRole('cell', { name: 'Arrived' }).waitFor();

    // A clinician records vitals: a blood pressure, by kind, in its unit.
    await pageB.getByRole('button', { name: 'Record vital sign' }).click();
    await pageB.getByLabel('Kind').selectOption('blood_pressure');
    await pageB.getByLabel('Systolic/diastolic (mmHg)').fill('128/84');
    await pageB.getByRole('button', { name: 'Save', exact: true }).click();
    await pageB.getByRole('cell', { name: '128/84 mmHg' }).waitFor();
    await allSent(pageB);
    await shot(pageB, '07-patient-chart');
  }, 120_000);
});
