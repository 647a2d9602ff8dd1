/**
 * Nothing typed is lost, end to end in Debian's Chromium against the real
 * `clinicsync-server` and `clinicsync-desktop` bins (docs/conflict-resolution.md):
 * a conflict card names the conflicting fields before the click, a resolution
 * can be undone until it is sent and then reaches the server with both sides'
 * other changes; a refused change names its patient and what was refused; the
 * status bar never claims everything was sent while something is open; each
 * record shows its own sync state; a half-filled form survives navigating away
 * and locking, kept in the local store (not the browser), gone on cancel.
 * The other side of each conflict is the same person on a second device,
 * speaking the sync protocol directly.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../packages/server/test/support/accounts.ts';
import { call } from '../../../packages/server/test/support/http-client.ts';
import { deleteEvent, pushResults, updateEvent, type PushSession } from '../../../packages/server/test/support/orgs.ts';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/support/server-process.ts';
import { chromiumMissing, launchChromium, openDesktop } from './support/browser.ts';
import { startDesktopProcess, type DesktopProcess } from './support/desktop-process.ts';
import { startSwitchableProxy, type SwitchableProxy } from './support/switchable-proxy.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

const ADA = { name: 'Ada Obi', email: `ada-${randomUUID()}@sunrise.example`, password: 'correct horse battery' };

describe.skipIf(skipReason !== null)('nothing typed is lost, in Chromium', () => {
  const root = tempDir('e2e-lost');
  let server: ServerProcess;
  let proxy: SwitchableProxy;
  let desktop: DesktopProcess;
  let browser: BrowserContext;
  let page: Page;
  let other: PushSession;
  let patientId = '';

  const allSent = () => page.locator('.status-pending[data-pending="0"]').waitFor({ timeout: 20_000 });
  /** The patient as the server has it, pulled by the second device. */
  const onServer = async (id: string) => {
    const res = await call(server.url, 'GET', `/v1/sync/pull?deviceId=${other.deviceId}&limit=1000&schemaVersion=1`, {
      token: other.syncToken,
    });
    const changes = (
      res.body.changes as { recordId: string; op: string; version: number; data: Record<string, unknown> | null }[]
    ).filter((c) => c.recordId === id);
    return changes.at(-1);
  };

  beforeAll(async () => {
    server = await startServerProcess({ dataDir: join(root, 'server') });
    proxy = await startSwitchableProxy(server.url);
    desktop = await startDesktopProcess({ serverUrl: proxy.url, dataDir: join(root, 'desktop') });
    browser = await launchChromium();
    page = await openDesktop(browser, desktop);
    await page.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor();
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Your name').fill(ADA.name);
    await page.getByLabel('Email').fill(ADA.email);
    await page.getByLabel('Password').fill(ADA.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Create an organization' }).waitFor();
    await page.getByLabel('Organization name').fill('Sunrise Clinic');
    await page.getByLabel('First team').fill('Outpatients');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
    await allSent();
    const second = await signIn(server.url, { email: ADA.email, password: ADA.password, deviceName: 'Second device' });
    other = { userId: second.user.id, deviceId: '', syncToken: second.syncToken };
    const me = await call(server.url, 'GET', '/v1/devices', { token: second.authToken });
    other = {
      ...other,
      deviceId: (me.body.devices as { deviceId: string; deviceName: string }[]).find(
        (d) => d.deviceName === 'Second device',
      )!.deviceId,
    };
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await desktop?.stop();
    await proxy?.close();
    await server?.stop();
  });

  it('shows the conflicting fields before the click, lets a resolution be undone until sent, then keeps both sides’ other changes', async () => {
    await page.getByRole('link', { name: 'Register patient' }).click();
    await page.getByLabel('Given name').fill('Amina');
    await page.getByLabel('Family name').fill('Bello');
    await page.getByLabel('Phone').fill('100');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByRole('heading', { name: /Bello, Amina/ }).waitFor();
    patientId = page.url().split('/').pop()!;
    await allSent();
    await page.locator('h1 [data-sync-state="sent"]').waitFor();

    // Offline, this desktop changes the phone and the address; meanwhile the other device changes the phone and the notes.
    proxy.setMode('offline');
    await page.getByRole('link', { name: 'Edit details' }).click();
    await page.getByLabel('Phone').fill('0803 555 0101');
    await page.getByLabel('Address').fill('12 Hill Road');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('h1 [data-sync-state="not_sent"]').waitFor();
    const [theirs] = await pushResults(server.url, other, [
      updateEvent('patients', patientId, 1, { phone: '0803 555 0102', notes: 'seen on the ward' }),
    ]);
    expect(theirs).toMatchObject({ status: 'applied' });
    proxy.setMode('pass');

    await page.getByRole('link', { name: /Conflicts/ }).click();
    const card = page.locator('.conflict-card');
    await card.waitFor({ timeout: 20_000 });
    // Before any click: Phone is in conflict, the address is not, and the card says what each choice does.
    await expect
      .poll(() => card.locator('tr[data-conflicting="true"] th').allTextContents())
      .toEqual([expect.stringMatching(/^Phone/)]);
    await card.getByText(/Your other changes \(Address\) are sent either way/).waitFor();
    expect(await page.locator('.status-pending').textContent()).not.toContain('All changes sent');

    // Resolve while offline: the choice waits, and can be taken back.
    proxy.setMode('offline');
    await card.getByRole('button', { name: 'Keep mine' }).click();
    await page
      .getByRole('heading', { name: 'Resolved, not sent yet' })
      .waitFor({ timeout: 10_000 })
      .catch(async (error: unknown) => {
        console.log(await page.locator('main').innerText(), await page.locator('.status-bar').innerText());
        throw error;
      });
    await page.getByRole('button', { name: 'Undo' }).click();
    await card.getByRole('button', { name: 'Keep mine' }).waitFor();
    await card.getByRole('button', { name: 'Keep mine' }).click();
    await page.getByRole('heading', { name: 'Resolved, not sent yet' }).waitFor();
    proxy.setMode('pass');
    await allSent();
    await page.getByText('No conflicts.', { exact: false }).waitFor({ timeout: 20_000 });
    await expect
      .poll(async () => (await onServer(patientId))?.data, { timeout: 20_000 })
      .toMatchObject({ phone: '0803 555 0101', address: '12 Hill Road', notes: 'seen on the ward' });
  }, 120_000);

  it('names the patient and what was refused, offers next steps, and the status bar says it is not all accepted', async () => {
    proxy.setMode('offline');
    await page.goto(`${desktop.url}#/patients/${patientId}/edit`);
    await page.getByLabel('Phone').fill('0803 555 0199');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: /Bello, Amina/ }).waitFor();
    const current = await onServer(patientId);
    expect(
      (await pushResults(server.url, other, [deleteEvent('patients', patientId, current!.version)]))[0],
    ).toMatchObject({ status: 'applied' });
    proxy.setMode('pass');

    await page.getByRole('link', { name: /Conflicts/ }).click();
    const letter = page.locator('.dead-letter');
    // The refusal shows once the device is back and has pushed: up to its backoff (or a server's Retry-After, capped
    // at ten of its longest steps) after the network returns, which under the whole suite's load has passed 20 s.
    await letter.waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
      console.log(await page.locator('main').innerText(), await page.locator('.status-bar').innerText());
      throw error;
    });
    await letter.getByText('Change to patient Amina Bello').waitFor();
    await letter.getByText('0803 555 0199').waitFor();
    await letter.locator('.refusal-reason').filter({ hasText: 'The record no longer exists on the server.' }).waitFor();
    await page.locator('.status-pending').filter({ hasText: 'Not everything was accepted' }).waitFor();
    await letter.getByRole('button', { name: 'Copy' }).click();
    await letter.getByRole('button', { name: 'Copied' }).waitFor();
    // The record is gone on the server: sending it again cannot work, so it is not offered.
    await letter.getByText(/Sending it again would be refused the same way\. Copy it if it is still needed/).waitFor();
    expect(await letter.getByRole('button', { name: /send again/i }).count()).toBe(0);
    await letter.getByRole('button', { name: 'Discard' }).click();
    await letter.waitFor({ state: 'detached' });
    await page.locator('.status-pending').filter({ hasText: 'All changes sent' }).waitFor();
  }, 150_000);

  it('keeps a half-filled form as a local draft through navigating away and locking, and forgets it on cancel', async () => {
    await page.getByRole('link', { name: 'Patients', exact: true }).click();
    await page.getByRole('link', { name: 'Register patient' }).click();
    await page.getByLabel('Given name').fill('Chidi');
    await page.getByLabel('Notes').fill('Came in with a cough, typed half');
    await page.getByRole('link', { name: 'Appointments', exact: true }).click();
    await page.getByRole('heading', { name: 'Appointments' }).first().waitFor();
    await page.goto(`${desktop.url}#/patients/new`);
    await page.getByText(/Restored what you typed before/).waitFor();
    expect(await page.getByLabel('Given name').inputValue()).toBe('Chidi');
    expect(await page.getByLabel('Notes').inputValue()).toBe('Came in with a cough, typed half');

    // The session locks (as after idle time); signing in again brings the form back with the typing.
    await page.getByLabel('Family name').fill('Eze');
    await page.getByRole('button', { name: ADA.name }).click();
    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.getByRole('heading', { name: 'Your session has ended' }).waitFor();
    await page.getByLabel('Password').fill(ADA.password);
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByText(/Restored what you typed before/).waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Family name').inputValue()).toBe('Eze');
    expect(await page.getByLabel('Given name').inputValue()).toBe('Chidi');
    // Kept by the desktop's local store, not by the browser.
    const browserStorage = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
    expect(browserStorage).not.toContain('Chidi');
    expect(browserStorage).not.toContain('cough');

    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
    await page.goto(`${desktop.url}#/patients/new`);
    await page.getByLabel('Given name').waitFor();
    await page.waitForTimeout(500);
    expect(await page.getByText(/Restored what you typed before/).count()).toBe(0);
    expect(await page.getByLabel('Given name').inputValue()).toBe('');

    // A booking half-typed on the Appointments page and left is waiting in the patient's chart.
    await page.getByLabel('Given name').fill('Ngozi');
    await page.getByLabel('Family name').fill('Okeke');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByRole('heading', { name: 'Okeke, Ngozi' }).waitFor();
    const ngozi = page.url().split('/').pop()!;
    await page.getByRole('link', { name: 'Appointments', exact: true }).click();
    await page.getByRole('button', { name: 'Book appointment' }).click();
    await page.getByRole('combobox', { name: 'Patient' }).fill('oke');
    await page.getByRole('option', { name: /Okeke, Ngozi/ }).click();
    await page.getByLabel('Reason').fill('Review of the cough');
    await page.getByRole('link', { name: 'Patients', exact: true }).click();
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
    await page.goto(`${desktop.url}#/patients/${ngozi}`);
    const booking = page.getByRole('form', { name: 'Book appointment' });
    await booking.getByText(/Restored what you typed before/).waitFor({ timeout: 20_000 });
    expect(await booking.getByLabel('Reason').inputValue()).toBe('Review of the cough');
  }, 90_000);
});
