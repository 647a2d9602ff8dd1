/** Journey: Ben signs out and stops syncing his desktop; the server revokes its token and the desktop forgets it. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import { ADA, addColleague, BEN, createAccountAndOrganization, signIn, useClinic } from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: stop syncing a device', () => {
  const clinic = useClinic();

  it('signs out and stops syncing a device: its token is revoked on the server and removed here', async () => {
    const orgId = await createAccountAndOrganization(clinic);
    await addColleague(clinic, BEN);
    const b = await clinic.b();
    await signIn(b, BEN);
    const pageB = b.page;
    expect(readdirSync(b.dataDir).filter((f) => f.startsWith('sync-token-'))).toHaveLength(1);

    await pageB.getByRole('button', { name: BEN.name }).click();
    await pageB.getByRole('button', { name: 'Sign out and stop syncing this device' }).click();
    await pageB.getByRole('button', { name: 'Stop syncing and sign out' }).click();
    await pageB.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor();
    await pageB.getByText('Sync stopped: sign in again').waitFor();
    expect(readdirSync(b.dataDir).filter((f) => f.startsWith('sync-token-'))).toEqual([]);

    const devices = await clinic.serverDevices(orgId);
    expect(devices.filter((d) => d.userName === BEN.name)).toEqual([
      expect.objectContaining({ syncTokenRevoked: true }),
    ]);
    expect(devices.filter((d) => d.userName === ADA.name)).toHaveLength(1);
  }, 90_000);
});
