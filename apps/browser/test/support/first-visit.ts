/**
 * The steps every browser-app journey starts with, as staff take them: open
 * the app, create an account, create the organization with its first team;
 * then register a patient from the patient list.
 */
import type { Page } from 'playwright-core';

export type Person = { readonly name: string; readonly email: string; readonly password: string };

/** Opens `appUrl` on a new profile, creates `person`'s account and an organization; ends on the patient list. */
export async function createAccountAndOrganization(page: Page, appUrl: string, person: Person): Promise<void> {
  await page.goto(appUrl, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Create an account' }).click({ timeout: 30_000 });
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Create an organization' }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Organization name').fill('Harbour Clinic');
  await page.getByLabel('First team').fill('Outpatients');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.getByRole('heading', { name: 'Patients' }).waitFor();
}

/** Registers a patient from the patient list; ends on the new patient's chart. */
export async function registerPatient(page: Page, given: string, family: string): Promise<void> {
  await page.getByRole('link', { name: 'Register patient' }).click();
  await page.getByLabel('Given name').fill(given);
  await page.getByLabel('Family name').fill(family);
  await page.getByRole('button', { name: 'Register patient' }).click();
  await page.getByRole('heading', { name: `${family}, ${given}` }).waitFor();
}
