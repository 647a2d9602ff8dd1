/** Journey: Ada's UI session runs out; the app asks her to sign in again while background sync goes on. */
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import {
  ADA,
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

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: an expired UI session', () => {
  const clinic = useClinic();

  it('asks to sign in again when the UI session expires, while background sync keeps running', async () => {
    const orgId = await createAccountAndOrganization(clinic);
    await addColleague(clinic, BEN);
    const b = await clinic.b();
    await signIn(b, BEN);
    const { page: pageA, proxy: proxyA } = clinic.a;
    const pageB = b.page;

    // Ada leaves the Members page first: it asks the server on its own (invitations, members), and the
    // journey wants the session to end on the server's answer to the Devices page she opens.
    await pageA.getByRole('link', { name: 'Patients', exact: true }).click();
    await pageA.getByRole('heading', { name: 'Patients' }).waitFor();
    proxyA.setMode('expire_sessions');
    await pageA.getByRole('link', { name: 'Devices' }).click();
    await pageA.getByRole('heading', { name: 'Your session has ended' }).waitFor();
    await pageA.getByText('Up to date').waitFor();
    await shot(pageA, '09-session-ended');

    proxyA.resetCounts();
    const before = new Date().toISOString();
    await registerPatient(pageB, 'Chidi', 'Eze');
    await allSent(pageB);

    // Desktop A keeps pulling with its sync token while its UI is locked.
    await expect.poll(() => proxyA.count('/v1/sync/pull'), { timeout: 10_000 }).toBeGreaterThan(1);
    const lastPull = await pageA.evaluate(async () => {
      // The page's own request: the browser adds the launch cookie, the page its key (as ui/api/local-client.ts does).
      const key = localStorage.getItem('clinicsync-page-key') ?? '';
      const res = await fetch('/api/feed?after=0', { headers: { 'x-clinicsync-page-key': key } });
      return ((await res.json()) as { sync: { lastPullAt: string | null } }).sync.lastPullAt;
    });
    expect(lastPull! > before).toBe(true);
    expect(await pageA.getByText('Eze').count()).toBe(0);

    proxyA.setMode('pass');
    await pageA.getByLabel('Password').fill(ADA.password);
    await pageA.getByRole('button', { name: 'Sign in again' }).click();
    await pageA.getByRole('heading', { name: 'Devices' }).waitFor();
    await pageA.locator('.devices-table tbody tr').first().waitFor();
    await shot(pageA, '10-devices');
    await pageA.getByRole('link', { name: 'Patients', exact: true }).click();
    await pageA.getByLabel('Search patients').fill('eze');
    await pageA.getByRole('link', { name: /Eze, Chidi/ }).waitFor();
    // Signing in again after the session ended reused this desktop's device: Ada still has one.
    expect((await clinic.serverDevices(orgId)).filter((d) => d.userName === ADA.name)).toHaveLength(1);
  }, 150_000);
});
