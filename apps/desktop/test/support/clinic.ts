/**
 * One clinic for one end-to-end journey, against real processes: the
 * `clinicsync-server` bin and `clinicsync-desktop` bins in Debian's Chromium,
 * each desktop reaching the server through a proxy the journey can switch
 * (dead network, expired UI session, a gateway that fails pushes). Journeys
 * read the server through the auth token a desktop itself presents (seen by
 * its proxy): signing in from the test would register a device of its own.
 *
 * `useClinic()` registers the suite's hooks: everything starts before the
 * first step and stops after the last, and the clinic's folders are removed.
 * The steps below (`createAccountAndOrganization`, `registerPatient`, …) drive
 * the UI as a person would, so a journey reaches its starting point through
 * the same screens it tests.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { OrgDevice } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect } from 'vitest';
import { call } from '../../../../packages/server/test/support/http-client.ts';
import { startServerProcess, type ServerProcess } from '../../../../packages/server/test/support/server-process.ts';
import { tempDir } from '../../../../test/support/temp-dir.ts';
import { launchChromium, SCREENSHOTS } from './browser.ts';
import { startDesktopProcess, type DesktopProcess } from './desktop-process.ts';
import { startSwitchableProxy, type SwitchableProxy } from './switchable-proxy.ts';

export const ADA = { name: 'Ada Obi', email: 'ada@sunrise.example', password: 'correct horse battery' };
export const BEN = { name: 'Ben Mensah', email: 'ben@sunrise.example', password: 'staple battery horse' };
export type Person = typeof ADA;

/** One desktop of the clinic: its process, the proxy in front of the server, its data folder, a page on it. */
export type Seat = {
  readonly proxy: SwitchableProxy;
  readonly dataDir: string;
  desktop: DesktopProcess;
  page: Page;
  /** Stops the desktop and starts it again on the same folder (a restart of the app). */
  restart(): Promise<void>;
};

export type Clinic = {
  readonly root: string;
  readonly server: ServerProcess;
  readonly browser: BrowserContext;
  /** Ada's desktop, started with the clinic. */
  readonly a: Seat;
  /** A second desktop (Ben's), started on first use. */
  b(): Promise<Seat>;
  stopServer(): Promise<void>;
  /** Starts the server again on its folder and port. */
  restartServer(): Promise<void>;
  /** The organization's devices as the server reports them to its admin, Ada. */
  serverDevices(orgId: string): Promise<OrgDevice[]>;
};

export function useClinic(): Clinic {
  const root = tempDir('e2e');
  let server: ServerProcess;
  let serverPort = 0;
  let browser: BrowserContext;
  const seats: Seat[] = [];
  let a: Seat;
  let b: Seat | undefined;

  const seat = async (name: string): Promise<Seat> => {
    const proxy = await startSwitchableProxy(server.url);
    const dataDir = join(root, `desktop-${name}`);
    const desktop = await startDesktopProcess({ serverUrl: proxy.url, dataDir });
    const page = await browser.newPage();
    const s: Seat = {
      proxy,
      dataDir,
      desktop,
      page,
      restart: async () => {
        await s.desktop.stop();
        s.desktop = await startDesktopProcess({ serverUrl: proxy.url, dataDir });
      },
    };
    seats.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await startServerProcess({ dataDir: join(root, 'server') });
    serverPort = Number(new URL(server.url).port);
    browser = await launchChromium();
    a = await seat('a');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of seats) {
      await s.desktop.stop();
      await s.proxy.close();
    }
    await server?.stop();
  });

  return {
    root,
    get server() {
      return server;
    },
    get browser() {
      return browser;
    },
    get a() {
      return a;
    },
    b: async () => (b ??= await seat('b')),
    stopServer: () => server.stop(),
    restartServer: async () => {
      server = await startServerProcess({ dataDir: server.dataDir, port: serverPort });
    },
    serverDevices: async (orgId) => {
      const answer = await call(server.url, 'GET', `/v1/orgs/${orgId}/devices`, { token: a.proxy.lastAuthToken()! });
      expect(answer.status).toBe(200);
      return answer.body.devices;
    },
  };
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** Waits until the desktop reports an empty outbox (the status bar's own attribute, not a timer). */
export const allSent = (page: Page) => page.locator('.status-pending[data-pending="0"]').waitFor({ timeout: 20_000 });

/** Ada creates her account and the organization with its first team; answers the organization's id. */
export async function createAccountAndOrganization(clinic: Clinic, person: Person = ADA): Promise<string> {
  const page = clinic.a.page;
  await page.goto(clinic.a.desktop.url);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Create an organization' }).waitFor();
  await page.getByLabel('Organization name').fill('Sunrise Clinic');
  await page.getByLabel('First team').fill('Outpatients');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.getByRole('heading', { name: 'Patients' }).waitFor();
  await allSent(page);
  // The Devices page is the first to ask the server with Ada's auth token, which the proxy then knows.
  await page.getByRole('link', { name: 'Devices' }).click();
  await page.locator('.devices-table tbody tr').first().waitFor();
  const orgId = await organizationOf(clinic);
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  return orgId;
}

/** The id of Ada's organization, asked of the server with her desktop's own token. */
export async function organizationOf(clinic: Clinic): Promise<string> {
  await expect.poll(() => clinic.a.proxy.lastAuthToken()).not.toBeNull();
  const me = await call(clinic.server.url, 'GET', '/v1/me', { token: clinic.a.proxy.lastAuthToken()! });
  return me.body.organizations[0].id;
}

/** Registers a patient from the app's form; answers the new record's id. */
export async function registerPatient(page: Page, given: string, family: string): Promise<string> {
  await page.getByRole('link', { name: 'Patients', exact: true }).click();
  await page.getByRole('link', { name: 'Register patient' }).click();
  await page.getByLabel('Given name').fill(given);
  await page.getByLabel('Family name').fill(family);
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByRole('heading', { name: `${family}, ${given}` }).waitFor();
  return page.url().split('/').pop()!;
}

/** Changes a patient's family name from the edit form. */
export async function renamePatient(
  page: Page,
  baseUrl: string,
  patientId: string,
  family: string,
  given: string,
): Promise<void> {
  await page.goto(`${baseUrl}#/patients/${patientId}/edit`);
  await page.getByLabel('Family name').fill(family);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('heading', { name: `${family}, ${given}` }).waitFor();
}

/** Ada invites a colleague who already has an account as a clinician of her organization; they accept when they sign in (`signIn`). */
export async function addColleague(clinic: Clinic, person: Person = BEN): Promise<void> {
  await call(clinic.server.url, 'POST', '/v1/auth/register', { body: person });
  await invite(clinic.a.page, person.email, 'clinician');
}

/** Invites `email` with `role` from the Members page and waits until the invitation is listed as pending. */
export async function invite(page: Page, email: string, role: 'admin' | 'clinician' | 'receptionist'): Promise<void> {
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await page.getByText(`Invitation sent to ${email}`).waitFor();
  await page.getByRole('cell', { name: email, exact: true }).waitFor();
}

/**
 * Signs a person in on a seat's desktop and waits for the first screen. A
 * person with an invitation waiting and no organization yet accepts it
 * first, as they would (PROTOCOL §1b).
 */
export async function signIn(seat: Seat, person: Person): Promise<void> {
  await seat.page.goto(seat.desktop.url);
  await seat.page.getByLabel('Email').fill(person.email);
  await seat.page.getByLabel('Password').fill(person.password);
  await seat.page.getByRole('button', { name: 'Sign in' }).click();
  const patients = seat.page.getByRole('heading', { name: 'Patients' });
  const accept = seat.page.getByRole('button', { name: 'Accept' }).first();
  await patients.or(accept).first().waitFor({ timeout: 20_000 });
  if (await accept.isVisible()) await accept.click();
  await patients.waitFor({ timeout: 20_000 });
}

/** Books the patient from the appointment book, runs `between`, then marks her arrived and waits until it is sent. */
export async function bookAndArrive(
  page: Page,
  patient: string,
  reason: string,
  between: () => Promise<void> = async () => {},
): Promise<void> {
  await page.getByRole('link', { name: 'Appointments', exact: true }).click();
  await page.getByRole('button', { name: 'Book appointment' }).click();
  await page.getByRole('combobox', { name: 'Patient' }).fill(patient.slice(0, 3).toLowerCase());
  await page.getByRole('option', { name: new RegExp(patient) }).click();
  await page.getByLabel('Reason').fill(reason);
  await page.getByRole('button', { name: 'Book appointment' }).click();
  await page.locator('.book-entry').filter({ hasText: patient }).waitFor();
  await between();
  await page.locator('.book-entry').filter({ hasText: patient }).getByRole('button', { name: 'Arrived' }).click();
  await page.locator('.book-entry .badge-arrived').waitFor();
  await allSent(page);
}
