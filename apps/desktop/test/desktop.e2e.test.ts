/**
 * The clinic day end to end, in Debian's Chromium against real processes: the
 * `clinicsync-server` bin and two `clinicsync-desktop` bins, each desktop
 * reaching the server through a proxy the test can switch (dead network,
 * expired UI session, a gateway that fails pushes). The test reads the
 * server through the auth token the desktop itself presents (seen by the
 * proxy): signing in from the test would register a device of its own.
 * Screenshots of the main screens go to test-artifacts/screenshots/.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { OrgDevice } from '@clinicsync/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../packages/server/test/support/http-client.ts';
import { startServerProcess, type ServerProcess } from '../../../packages/server/test/support/server-process.ts';
import { chromiumMissing, launchChromium, SCREENSHOTS } from './support/browser.ts';
import { startDesktopProcess, type DesktopProcess } from './support/desktop-process.ts';
import { startSwitchableProxy, type SwitchableProxy } from './support/switchable-proxy.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

const ADA = { name: 'Ada Obi', email: 'ada@sunrise.example', password: 'correct horse battery' };
const BEN = { name: 'Ben Mensah', email: 'ben@sunrise.example', password: 'staple battery horse' };

describe.skipIf(skipReason !== null)('clinic desktop in Chromium', () => {
  const root = mkdtempSync(join(tmpdir(), 'clinicsync-e2e-'));
  let server: ServerProcess;
  let serverPort: number;
  let proxyA: SwitchableProxy;
  let proxyB: SwitchableProxy;
  let desktopA: DesktopProcess;
  let desktopB: DesktopProcess | undefined;
  let browser: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  let patientId = '';
  let orgId = '';

  /** The organization's devices as the server reports them to its admin, Ada. */
  const serverDevices = async (): Promise<OrgDevice[]> => {
    const answer = await call(server.url, 'GET', `/v1/orgs/${orgId}/devices`, { token: proxyA.lastAuthToken()! });
    expect(answer.status).toBe(200);
    return answer.body.devices;
  };

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const allSent = (page: Page) => page.locator('.status-pending[data-pending="0"]').waitFor({ timeout: 20_000 });

  beforeAll(async () => {
    server = await startServerProcess({ dataDir: join(root, 'server') });
    serverPort = Number(new URL(server.url).port);
    proxyA = await startSwitchableProxy(server.url);
    proxyB = await startSwitchableProxy(server.url);
    desktopA = await startDesktopProcess({ serverUrl: proxyA.url, dataDir: join(root, 'desktop-a') });
    browser = await launchChromium();
    pageA = await browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await desktopA?.stop();
    await desktopB?.stop();
    await proxyA?.close();
    await proxyB?.close();
    await server?.stop();
  });

  it('creates an account and an organization with its first team in one push', async () => {
    await pageA.goto(desktopA.url);
    await pageA.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor();
    await shot(pageA, '01-sign-in');
    await pageA.getByRole('button', { name: 'Create an account' }).click();
    await pageA.getByLabel('Your name').fill(ADA.name);
    await pageA.getByLabel('Email').fill(ADA.email);
    await pageA.getByLabel('Password').fill(ADA.password);
    await pageA.getByRole('button', { name: 'Create account' }).click();

    await pageA.getByRole('heading', { name: 'Create an organization' }).waitFor();
    await pageA.getByLabel('Organization name').fill('Sunrise Clinic');
    await pageA.getByLabel('First team').fill('Outpatients');
    await shot(pageA, '02-create-organization');
    const pushesBefore = proxyA.count('/v1/sync/push');
    await pageA.getByRole('button', { name: 'Create organization' }).click();
    await pageA.getByRole('heading', { name: 'Patients' }).waitFor();
    await allSent(pageA);

    // The server now knows the organization, with Ada as its admin: it shows her its devices.
    await pageA.getByRole('link', { name: 'Devices' }).click();
    await pageA.locator('.devices-table tbody tr').first().waitFor();
    const me = await call(server.url, 'GET', '/v1/me', { token: proxyA.lastAuthToken()! });
    expect(me.body.organizations).toEqual([expect.objectContaining({ name: 'Sunrise Clinic', role: 'admin' })]);
    orgId = me.body.organizations[0].id;
    // Creating the account and signing in registered exactly one device: this desktop.
    expect(await serverDevices()).toEqual([expect.objectContaining({ userName: ADA.name, syncTokenRevoked: false })]);
    await pageA.getByRole('link', { name: 'Patients', exact: true }).click();
    // Organization, membership and team went out together: one push carried the batch.
    expect(proxyA.count('/v1/sync/push') - pushesBefore).toBeLessThanOrEqual(2);

    // No keyring here: the sync token sits in an owner-only file, in an owner-only folder, and never in the output.
    const dir = join(root, 'desktop-a');
    const tokenFile = readdirSync(dir).find((f) => f.startsWith('sync-token-'));
    expect(tokenFile).toBeDefined();
    expect(statSync(join(dir, tokenFile!)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(desktopA.output()).not.toContain(readFileSync(join(dir, tokenFile!), 'utf8').trim());
  }, 60_000);

  it('registers a patient and books an appointment while the server is stopped, then syncs them', async () => {
    await server.stop();
    await pageA.getByRole('link', { name: 'Register patient' }).click();
    await pageA.getByRole('button', { name: 'Register patient' }).click();
    await pageA.getByText('2 fields need attention.').waitFor();
    await shot(pageA, '03-register-patient-validation');
    await pageA.getByLabel('Given name').fill('Amina');
    await pageA.getByLabel('Family name').fill('Bello');
    await pageA.getByLabel('Birth date').fill('1990-04-12');
    await pageA.getByLabel('Sex').selectOption('female');
    await pageA.getByLabel('Phone').fill('0803 555 0100');
    await pageA.getByRole('button', { name: 'Register patient' }).click();
    await pageA.getByRole('heading', { name: 'Bello, Amina' }).waitFor();
    patientId = pageA.url().split('/').pop()!;

    await pageA.getByRole('link', { name: 'Appointments', exact: true }).click();
    await pageA.getByRole('button', { name: 'Book appointment' }).click();
    await pageA.getByRole('combobox', { name: 'Patient' }).fill('bel');
    await pageA.getByRole('option', { name: /Bello, Amina/ }).click();
    await pageA.getByLabel('Reason').fill('Follow-up, blood pressure');
    await pageA.getByRole('button', { name: 'Book appointment' }).click();
    await pageA.locator('.book-entry').filter({ hasText: 'Bello, Amina' }).waitFor();

    await pageA.getByText('Changes are saved on this computer and sent when the server is back').waitFor({ timeout: 20_000 });
    await pageA.getByText('2 changes waiting to sync').waitFor();
    await shot(pageA, '04-appointment-book-offline');

    server = await startServerProcess({ dataDir: server.dataDir, port: serverPort });
    await allSent(pageA);
    await pageA.getByText('Up to date').waitFor();
    await pageA.locator('.book-entry').filter({ hasText: 'Bello, Amina' }).getByRole('button', { name: 'Arrived' }).click();
    await pageA.locator('.book-entry .badge-arrived').waitFor();
    await allSent(pageA);
    await shot(pageA, '05-appointment-book-synced');
  }, 90_000);

  it('adds a colleague by email, who sees the records on a second desktop', async () => {
    await call(server.url, 'POST', '/v1/auth/register', { body: BEN });
    await pageA.getByRole('link', { name: 'Members' }).click();
    await pageA.getByLabel('Email').fill(BEN.email);
    await pageA.getByLabel('Role', { exact: true }).selectOption('clinician');
    await pageA.getByRole('button', { name: 'Add member' }).click();
    await pageA.getByText(`${BEN.name} was added as clinician.`).waitFor();
    await allSent(pageA);
    await shot(pageA, '06-members');

    desktopB = await startDesktopProcess({ serverUrl: proxyB.url, dataDir: join(root, 'desktop-b') });
    pageB = await browser.newPage();
    await pageB.goto(desktopB.url);
    await pageB.getByLabel('Email').fill(BEN.email);
    await pageB.getByLabel('Password').fill(BEN.password);
    await pageB.getByRole('button', { name: 'Sign in' }).click();
    await pageB.getByRole('heading', { name: 'Patients' }).waitFor({ timeout: 20_000 });
    await pageB.getByRole('link', { name: /Bello, Amina/ }).click();
    await pageB.getByRole('heading', { name: 'Bello, Amina' }).waitFor();
    await pageB.getByRole('cell', { name: 'Follow-up, blood pressure' }).waitFor();
    await pageB.getByRole('cell', { name: 'Arrived' }).waitFor();

    // A clinician records vitals: the chart's forms come from the registry.
    await pageB.getByRole('button', { name: 'Record vital sign' }).click();
    await pageB.getByLabel('Kind').fill('Blood pressure (systolic)');
    await pageB.getByLabel('Value').fill('128');
    await pageB.getByLabel('Unit').fill('mmHg');
    await pageB.getByRole('button', { name: 'Save', exact: true }).click();
    await pageB.getByRole('cell', { name: 'mmHg' }).waitFor();
    await shot(pageB, '07-patient-chart');
  }, 90_000);

  it('shows an edit made on both desktops side by side and resolves it from the inbox', async () => {
    await allSent(pageB);
    proxyB.setMode('offline');
    await pageB.getByText('Changes are saved on this computer and sent when the server is back').waitFor({ timeout: 20_000 });

    // Ada renames the patient; it reaches the server.
    await pageA.goto(`${desktopA.url}#/patients/${patientId}/edit`);
    await pageA.getByLabel('Family name').fill('Bello-Adeyemi');
    await pageA.getByRole('button', { name: 'Save changes' }).click();
    await pageA.getByRole('heading', { name: 'Bello-Adeyemi, Amina' }).waitFor();
    await allSent(pageA);

    // Ben, offline, renames her differently.
    await pageB.getByRole('link', { name: 'Edit details' }).click();
    await pageB.getByLabel('Family name').fill('Bello Okoro');
    await pageB.getByRole('button', { name: 'Save changes' }).click();
    await pageB.getByRole('heading', { name: 'Bello Okoro, Amina' }).waitFor();

    proxyB.setMode('pass');
    await pageB.getByRole('link', { name: '1 conflict to review' }).click();
    await pageB.getByRole('heading', { name: 'Conflicts' }).waitFor();
    const card = pageB.locator('.conflict-card');
    await card.getByRole('cell', { name: 'Bello Okoro' }).waitFor();
    await card.getByRole('cell', { name: 'Bello-Adeyemi' }).waitFor();
    await shot(pageB, '08-conflict-inbox');
    await card.getByRole('button', { name: 'Keep mine' }).click();
    await pageB.getByText('No conflicts.').waitFor();
    await allSent(pageB);

    // Ben's decision reaches Ada's desktop.
    await pageA.goto(`${desktopA.url}#/patients/${patientId}`);
    await pageA.getByRole('heading', { name: 'Bello Okoro, Amina' }).waitFor({ timeout: 20_000 });
  }, 90_000);

  it('merges edits of two fields made on both desktops, corrected by hand, and the merge reaches the other desktop', async () => {
    await allSent(pageB);
    proxyB.setMode('offline');

    // Ada renames the patient, with a typo; it reaches the server.
    await pageA.goto(`${desktopA.url}#/patients/${patientId}/edit`);
    await pageA.getByLabel('Family name').fill('Okoro-Belo');
    await pageA.getByRole('button', { name: 'Save changes' }).click();
    await pageA.getByRole('heading', { name: 'Okoro-Belo, Amina' }).waitFor();
    await allSent(pageA);

    // Ben, offline, corrects her birth date. Both fields are strict: the server refuses his edit as a whole.
    await pageB.goto(`${desktopB!.url}#/patients/${patientId}/edit`);
    await pageB.getByLabel('Birth date').fill('1990-04-21');
    await pageB.getByRole('button', { name: 'Save changes' }).click();
    await pageB.getByRole('heading', { name: 'Bello Okoro, Amina' }).waitFor();
    proxyB.setMode('pass');
    await pageB.getByRole('link', { name: '1 conflict to review' }).click();
    const card = pageB.locator('.conflict-card');
    await card.getByRole('cell', { name: 'Okoro-Belo' }).waitFor();
    await card.getByRole('button', { name: 'Merge…' }).click();

    // The merge starts from both edits: the name as the server has it, the birth date as Ben set it.
    const family = card.getByRole('group', { name: 'Family name to keep' });
    const birth = card.getByRole('group', { name: 'Birth date to keep' });
    expect(await family.getByRole('radio', { name: 'Server' }).isChecked()).toBe(true);
    expect(await birth.getByRole('radio', { name: 'This device' }).isChecked()).toBe(true);
    expect(await card.getByLabel('Merged birth date').inputValue()).toBe('1990-04-21');
    // Ben fixes Ada's typo in the merged name, and an emptied name is refused before anything is sent.
    await card.getByLabel('Merged family name').fill('');
    await card.getByRole('button', { name: 'Save merge' }).click();
    await card.getByText('Required.').waitFor();
    await card.getByLabel('Merged family name').fill('Okoro-Bello');
    expect(await family.getByRole('radio', { name: 'Server' }).isChecked()).toBe(false);
    await shot(pageB, '08b-conflict-merge');
    await card.getByRole('button', { name: 'Save merge' }).click();
    await pageB.getByText('No conflicts.').waitFor();
    await allSent(pageB);

    // The server applied the merge, and it reaches Ada's desktop.
    const audit = await call(server.url, 'GET', `/v1/orgs/${orgId}/audit?recordId=${patientId}`, { token: proxyA.lastAuthToken()! });
    const latest = [...audit.body.entries].sort((a: { version: number }, b: { version: number }) => b.version - a.version)[0];
    expect(latest.after).toMatchObject({ family_name: 'Okoro-Bello', birth_date: '1990-04-21' });
    await pageA.goto(`${desktopA.url}#/patients/${patientId}`);
    await pageA.getByRole('heading', { name: 'Okoro-Bello, Amina' }).waitFor({ timeout: 20_000 });
    await pageA.getByRole('link', { name: 'Edit details' }).click();
    expect(await pageA.getByLabel('Birth date').inputValue()).toBe('1990-04-21');
    await pageA.getByRole('button', { name: 'Cancel' }).click();
  }, 90_000);

  it('asks to sign in again when the UI session expires, while background sync keeps running', async () => {
    proxyA.setMode('expire_sessions');
    await pageA.getByRole('link', { name: 'Devices' }).click();
    await pageA.getByRole('heading', { name: 'Your session has ended' }).waitFor();
    await pageA.getByText('Up to date').waitFor();
    await shot(pageA, '09-session-ended');

    proxyA.resetCounts();
    const before = new Date().toISOString();
    await pageB.getByRole('link', { name: 'Patients', exact: true }).click();
    await pageB.getByRole('link', { name: 'Register patient' }).click();
    await pageB.getByLabel('Given name').fill('Chidi');
    await pageB.getByLabel('Family name').fill('Eze');
    await pageB.getByRole('button', { name: 'Register patient' }).click();
    await pageB.getByRole('heading', { name: 'Eze, Chidi' }).waitFor();
    await allSent(pageB);

    // Desktop A keeps pulling with its sync token while its UI is locked.
    await expect.poll(() => proxyA.count('/v1/sync/pull'), { timeout: 10_000 }).toBeGreaterThan(1);
    const lastPull = await pageA.evaluate(async () => {
      // The page's own request: the browser adds the launch cookie.
      const res = await fetch('/api/feed?after=0');
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
  }, 90_000);

  it("shows an admin a colleague's device that holds changes the server does not have, oldest first", async () => {
    // A gateway in front of the server fails Ben's pushes that carry changes (503) but passes on
    // their outbox reports, as it does his heartbeats: his computer keeps the change and reports it.
    await allSent(pageB);
    proxyB.setMode('report_outbox_only');
    await pageB.getByRole('link', { name: 'Patients', exact: true }).click();
    await pageB.getByRole('link', { name: 'Register patient' }).click();
    await pageB.getByLabel('Given name').fill('Dara');
    await pageB.getByLabel('Family name').fill('Kim');
    await pageB.getByRole('button', { name: 'Register patient' }).click();
    await pageB.getByRole('heading', { name: 'Kim, Dara' }).waitFor();
    await pageB.getByText('1 change waiting to sync').waitFor();

    // The server knows of the change only from the report: pending, with its time, and no patient.
    await expect.poll(async () => (await serverDevices()).find((d) => d.userName === BEN.name)?.pending, { timeout: 15_000 }).toBe(1);
    expect(proxyB.heldPushes()).toBeGreaterThan(0);
    const bens = (await serverDevices()).find((d) => d.userName === BEN.name)!;
    expect(bens).toMatchObject({ pending: 1, oldestPendingAt: expect.any(String), health: 'ok', syncTokenRevoked: false });
    const audit = await call(server.url, 'GET', `/v1/orgs/${orgId}/audit?table=patients`, { token: proxyA.lastAuthToken()! });
    expect(audit.body.entries.some((e: { after: { family_name?: string } | null }) => e.after?.family_name === 'Kim')).toBe(false);

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
    expect(await row.locator('td[data-label="Oldest unsent"] time').getAttribute('datetime')).toBe(bens.oldestPendingAt);
    expect(await rows.nth(1).getAttribute('class')).toBe('health-ok');
    await shot(pageA, '10b-devices-pending');

    // The gateway recovers: the change goes out and the report empties.
    proxyB.setMode('pass');
    await allSent(pageB);
    await expect.poll(async () => (await serverDevices()).find((d) => d.userName === BEN.name)?.pending, { timeout: 15_000 }).toBe(0);
    await pageA.getByRole('button', { name: 'Refresh' }).click();
    await pageA.getByText('No device reports changes that are not on the server yet.').waitFor();
  }, 90_000);

  it('shows a record history and fits a narrow window', async () => {
    await pageA.goto(`${desktopA.url}#/patients/${patientId}/history`);
    await pageA.getByRole('heading', { name: /History of/ }).waitFor();
    await pageA.locator('.history-entry').nth(1).waitFor();
    await shot(pageA, '11-record-history');

    const narrow = await browser.newPage();
    await narrow.setViewportSize({ width: 400, height: 800 });
    await narrow.goto(`${desktopA.url}#/patients/${patientId}`);
    await narrow.getByRole('heading', { name: 'Okoro-Bello, Amina' }).waitFor();
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(narrow, '12-chart-narrow');
    await narrow.close();
  }, 60_000);

  it('signs out and stops syncing a device: its token is revoked on the server and removed here', async () => {
    await pageB.getByRole('button', { name: BEN.name }).click();
    await pageB.getByRole('button', { name: 'Sign out and stop syncing this device' }).click();
    await pageB.getByRole('button', { name: 'Stop syncing and sign out' }).click();
    await pageB.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor();
    await pageB.getByText('Sync stopped: sign in again').waitFor();
    expect(readdirSync(join(root, 'desktop-b')).filter((f) => f.startsWith('sync-token-'))).toEqual([]);

    const devices = await serverDevices();
    expect(devices.filter((d) => d.userName === BEN.name)).toEqual([expect.objectContaining({ syncTokenRevoked: true })]);
    // Signing in again after the session ended reused this desktop's device: Ada still has one.
    expect(devices.filter((d) => d.userName === ADA.name)).toHaveLength(1);
  }, 30_000);

  it('starts and signs in without the server after a restart, from the password seen on this computer', async () => {
    proxyA.setMode('offline');
    await desktopA.stop();
    desktopA = await startDesktopProcess({ serverUrl: proxyA.url, dataDir: join(root, 'desktop-a') });
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
    expect((await serverDevices()).filter((d) => d.userName === ADA.name)).toHaveLength(1);
  }, 60_000);

  it('does not let another site read patient data through the local API', async () => {
    const evil = await browser.newPage();
    // Any page not served by the app: another origin on the same machine.
    await evil.goto(`${server.url}/healthz`);
    const attempts = await evil.evaluate(async (base) => {
      const tries: Record<string, string> = {};
      const attempt = async (name: string, run: () => Promise<Response>) => {
        try {
          const res = await run();
          tries[name] = res.type === 'opaque' ? 'opaque' : `${res.status}:${(await res.text()).slice(0, 40)}`;
        } catch {
          tries[name] = 'blocked';
        }
      };
      await attempt('cors read', () => fetch(`${base}/api/orgs`));
      // 127.0.0.1 on another port is the same site: the browser sends the launch cookie along, and the desktop still refuses.
      await attempt('with credentials', () => fetch(`${base}/api/orgs`, { credentials: 'include' }));
      await attempt('write', () => fetch(`${base}/api/records/patients`, { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{}' }));
      await attempt('no-cors', () => fetch(`${base}/api/orgs`, { mode: 'no-cors' }));
      await attempt('page', () => fetch(`${base}/`));
      return tries;
    }, desktopA.origin);
    // Blocked outright, or opaque at best (a no-cors answer the page cannot read; Chromium also drops it for CORP).
    expect(attempts).toEqual({
      'cors read': 'blocked',
      'with credentials': 'blocked',
      write: expect.stringMatching(/^(blocked|opaque)$/),
      'no-cors': expect.stringMatching(/^(blocked|opaque)$/),
      page: 'blocked',
    });
    await evil.close();
  }, 30_000);
});
