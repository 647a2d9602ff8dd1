/** Journey: a gateway fails Ben's pushes; Ada's Devices page shows his computer holds a change the server does not have. */
import { describe, expect, it } from 'vitest';
import { call } from '../../../packages/server/test/support/http-client.ts';
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

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: unsent changes on the Devices page', () => {
  const clinic = useClinic();

  it("shows an admin a colleague's device that holds changes the server does not have, oldest first", async () => {
    const orgId = await createAccountAndOrganization(clinic);
    await addColleague(clinic, BEN);
    const b = await clinic.b();
    await signIn(b, BEN);
    const { page: pageA, proxy: proxyA } = clinic.a;
    const { page: pageB, proxy: proxyB } = b;
    const serverDevices = () => clinic.serverDevices(orgId);

    // A gateway in front of the server fails Ben's pushes that carry changes (503) but passes on
    // their outbox reports, as it does his heartbeats: his computer keeps the change and reports it.
    await allSent(pageB);
    proxyB.setMode('report_outbox_only');
    await registerPatient(pageB, 'Dara', 'Kim');
    await pageB.getByText('1 change waiting to sync').waitFor();

    // The server knows of the change only from the report: pending, with its time, and no patient.
    await expect
      .poll(async () => (await serverDevices()).find((d) => d.userName === BEN.name)?.pending, { timeout: 15_000 })
      .toBe(1);
    expect(proxyB.heldPushes()).toBeGreaterThan(0);
    const bens = (await serverDevices()).find((d) => d.userName === BEN.name)!;
    expect(bens).toMatchObject({
      pending: 1,
      oldestPendingAt: expect.any(String),
      health: 'ok',
      syncTokenRevoked: false,
    });
    const audit = await call(clinic.server.url, 'GET', `/v1/orgs/${orgId}/audit?table=patients`, {
      token: proxyA.lastAuthToken()!,
    });
    expect(
      audit.body.entries.some((e: { after: { family_name?: string } | null }) => e.after?.family_name === 'Kim'),
    ).toBe(false);

    // Ada's Devices page: said plainly above the table, the row marked, and first by "Oldest unsent".
    await pageA.getByRole('link', { name: 'Devices' }).click();
    await pageA.getByText(/^1 device has changes not on the server yet, the oldest made/).waitFor();
    const rows = pageA.locator('.devices-table tbody tr');
    await pageA.getByRole('button', { name: /^Device/ }).click();
    await expect.poll(() => rows.first().textContent()).toContain(ADA.name);
    await pageA.getByRole('button', { name: /^Oldest unsent/ }).click();
    await expect.poll(() => rows.first().textContent()).toContain(BEN.name);
    const row = rows.first();
    expect(await row.getAttribute('class')).toBe('health-info');
    await row.getByText('Unsent changes').waitFor();
    expect(await row.locator('td[data-label="Unsent"]').textContent()).toBe('1');
    expect(await row.locator('td[data-label="Oldest unsent"] time').getAttribute('datetime')).toBe(
      bens.oldestPendingAt,
    );
    expect(await rows.nth(1).getAttribute('class')).toBe('health-ok');
    await shot(pageA, '10b-devices-pending');

    // The gateway recovers: the change goes out and the report empties.
    proxyB.setMode('pass');
    await allSent(pageB);
    await expect
      .poll(async () => (await serverDevices()).find((d) => d.userName === BEN.name)?.pending, { timeout: 15_000 })
      .toBe(0);
    await pageA.getByRole('button', { name: 'Refresh' }).click();
    await pageA.getByText('No device reports changes that are not on the server yet.').waitFor();
  }, 150_000);
});
