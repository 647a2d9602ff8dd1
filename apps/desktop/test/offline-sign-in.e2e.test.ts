/** Journey: the desktop restarts while the server is unreachable; Ada signs in from the password seen on this computer. */
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import { ADA, allSent, createAccountAndOrganization, registerPatient, shot, useClinic } from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: signing in without the server', () => {
  const clinic = useClinic();

  it('starts and signs in without the server after a restart, from the password seen on this computer', async () => {
    const orgId = await createAccountAndOrganization(clinic);
    await registerPatient(clinic.a.page, 'Amina', 'Okoro-Bello');
    await allSent(clinic.a.page);
    const { proxy: proxyA } = clinic.a;

    proxyA.setMode('offline');
    await clinic.a.restart();
    const { page: pageA, desktop: desktopA } = clinic.a;
    await pageA.goto(desktopA.url);
    await pageA.getByLabel('Email').fill(ADA.email);
    await pageA.getByLabel('Password').fill('not the password');
    await pageA.getByRole('button', { name: 'Sign in' }).click();
    await pageA.getByText(/only people who signed in on this computer before can sign in/).waitFor();
    await pageA.getByLabel('Password').fill(ADA.password);
    await pageA.getByRole('button', { name: 'Sign in' }).click();
    await pageA.getByText('You signed in without a connection to the server.').waitFor();
    await pageA.getByLabel('Search patients').fill('okoro');
    await pageA.getByRole('link', { name: /Okoro-Bello, Amina/ }).waitFor();
    await shot(pageA, '13-offline-sign-in');
    proxyA.setMode('pass');
    // Checking the password here registered nothing on the server: Ada still has one device.
    expect((await clinic.serverDevices(orgId)).filter((d) => d.userName === ADA.name)).toHaveLength(1);
  }, 90_000);
});
