/** Journey: a record's history, and a chart that fits a narrow window. */
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import {
  allSent,
  createAccountAndOrganization,
  registerPatient,
  renamePatient,
  shot,
  useClinic,
} from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: history and a narrow window', () => {
  const clinic = useClinic();

  it('shows a record history and fits a narrow window', async () => {
    await createAccountAndOrganization(clinic);
    const { page: pageA, desktop: desktopA } = clinic.a;
    const patientId = await registerPatient(pageA, 'Amina', 'Bello');
    await allSent(pageA);
    await renamePatient(pageA, desktopA.url, patientId, 'Okoro-Bello', 'Amina');
    await allSent(pageA);

    await pageA.goto(`${desktopA.url}#/patients/${patientId}/history`);
    await pageA.getByRole('heading', { name: /History of/ }).waitFor();
    await pageA.locator('.history-entry').nth(1).waitFor();
    await shot(pageA, '11-record-history');

    const narrow = await clinic.browser.newPage();
    await narrow.setViewportSize({ width: 400, height: 800 });
    await narrow.goto(`${desktopA.url}#/patients/${patientId}`);
    await narrow.getByRole('heading', { name: 'Okoro-Bello, Amina' }).waitFor();
    const overflow = await narrow.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(narrow, '12-chart-narrow');
    await narrow.close();
  }, 90_000);
});
