/**
 * Journey: the clinic computer's clock is three hours ahead (a wrong time
 * zone). The status bar says so, in words staff can act on, as soon as the
 * server answers; once the clock is right again, the warning goes.
 */
import { describe, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import { createAccountAndOrganization, shot, useClinic } from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: a computer whose clock is off', () => {
  const clinic = useClinic();

  it('warns in the status bar while the clock is off the server’s, and stops when it is right', async () => {
    await createAccountAndOrganization(clinic);
    const page = clinic.a.page;
    // The server's answers say a time three hours before the computer's: the computer is ahead.
    clinic.a.proxy.setServerClock(-3 * 3_600_000);
    await page.getByRole('button', { name: 'Sync now' }).click();
    const warning = page.getByRole('alert').filter({ hasText: "This computer's clock is 3 h ahead of the server's." });
    await warning.waitFor({ timeout: 20_000 });
    await shot(page, '40-clock-ahead');

    clinic.a.proxy.setServerClock(0);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await warning.waitFor({ state: 'detached', timeout: 20_000 });
  }, 90_000);
});
