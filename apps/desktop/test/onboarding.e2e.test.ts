/** Journey: a clinic's first day — an account, an organization and its first team, sent in one push. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call } from '../../../packages/server/test/support/http-client.ts';
import { chromiumMissing } from './support/browser.ts';
import { ADA, allSent, shot, useClinic } from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: onboarding', () => {
  const clinic = useClinic();

  it('creates an account and an organization with its first team in one push', async () => {
    const { page: pageA, proxy: proxyA, desktop: desktopA } = clinic.a;
    await pageA.goto(desktopA.url);
    await pageA.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor();
    await shot(pageA, '01-sign-in');
    // Nobody has signed in here yet: the status bar says sync is waiting for a sign-in, not that it stopped.
    await pageA.locator('.status-bar').getByText('Not signed in: sync starts when you sign in').waitFor();
    expect(await pageA.getByText('Sync stopped').count()).toBe(0);
    await pageA.getByRole('button', { name: 'Create an account' }).click();
    // Nothing typed: every field says what it needs, and the focus goes to the first one on the form.
    await pageA.getByRole('button', { name: 'Create account' }).click();
    await pageA.getByText('Enter your name.').waitFor();
    await expect.poll(() => pageA.evaluate(() => document.activeElement?.id)).toBe('create-name');
    await pageA.getByLabel('Your name').fill(ADA.name);
    await pageA.getByLabel('Email').fill(ADA.email);
    await pageA.getByLabel('Password').fill(ADA.password);
    await pageA.getByRole('button', { name: 'Create account' }).click();

    await pageA.getByRole('heading', { name: 'Create an organization' }).waitFor();
    await pageA.getByLabel('Organization name').fill('Sunrise Clinic');
    await pageA.getByLabel('First team').fill('Outpatients');
    await shot(pageA, '02-create-organization');
    // Heartbeats (empty pushes, every second here) are not counted: only pushes that carry changes.
    const pushesBefore = proxyA.pushesWithEvents();
    await pageA.getByRole('button', { name: 'Create organization' }).click();
    await pageA.getByRole('heading', { name: 'Patients' }).waitFor();
    await allSent(pageA);

    // The server now knows the organization, with Ada as its admin: it shows her its devices.
    await pageA.getByRole('link', { name: 'Devices' }).click();
    await pageA.locator('.devices-table tbody tr').first().waitFor();
    const me = await call(clinic.server.url, 'GET', '/v1/me', { token: proxyA.lastAuthToken()! });
    expect(me.body.organizations).toEqual([expect.objectContaining({ name: 'Sunrise Clinic', role: 'admin' })]);
    const orgId = me.body.organizations[0].id;
    // Creating the account and signing in registered exactly one device: this desktop.
    expect(await clinic.serverDevices(orgId)).toEqual([
      expect.objectContaining({ userName: ADA.name, syncTokenRevoked: false }),
    ]);
    await pageA.getByRole('link', { name: 'Patients', exact: true }).click();
    // Organization, membership and team went out together: one push carried the batch.
    expect(proxyA.pushesWithEvents() - pushesBefore).toBeLessThanOrEqual(2);

    // No keyring here: the sync token sits in an owner-only file, in an owner-only folder, and never in the output.
    const dir = clinic.a.dataDir;
    const tokenFile = readdirSync(dir).find((f) => f.startsWith('sync-token-'));
    expect(tokenFile).toBeDefined();
    expect(statSync(join(dir, tokenFile!)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(desktopA.output()).not.toContain(readFileSync(join(dir, tokenFile!), 'utf8').trim());
  }, 60_000);
});
