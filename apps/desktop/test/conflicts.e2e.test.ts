/** Journey: Ada and Ben edit the same patient, one of them offline; Ben resolves it from the conflict inbox, then merges by hand. */
import { describe, expect, it } from 'vitest';
import { call } from '../../../packages/server/test/support/http-client.ts';
import { chromiumMissing } from './support/browser.ts';
import {
  addColleague,
  allSent,
  BEN,
  createAccountAndOrganization,
  registerPatient,
  renamePatient,
  shot,
  signIn,
  useClinic,
} from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: conflicts', () => {
  const clinic = useClinic();
  let orgId = '';
  let patientId = '';

  it('shows an edit made on both desktops side by side and resolves it from the inbox', async () => {
    orgId = await createAccountAndOrganization(clinic);
    const { page: pageA, desktop: desktopA } = clinic.a;
    patientId = await registerPatient(pageA, 'Amina', 'Bello');
    await allSent(pageA);
    await addColleague(clinic, BEN);
    const b = await clinic.b();
    const pageB = b.page;
    await signIn(b, BEN);
    await pageB.getByRole('link', { name: /Bello, Amina/ }).click();
    await pageB.getByRole('heading', { name: 'Bello, Amina' }).waitFor();

    await allSent(pageB);
    b.proxy.setMode('offline');
    await pageB
      .getByText('Changes are saved on this computer and sent when the server is back')
      .waitFor({ timeout: 20_000 });

    // Ada renames the patient; it reaches the server.
    await renamePatient(pageA, desktopA.url, patientId, 'Bello-Adeyemi', 'Amina');
    await allSent(pageA);

    // Ben, offline, renames her differently.
    await pageB.getByRole('link', { name: 'Edit details' }).click();
    await pageB.getByLabel('Family name').fill('Bello Okoro');
    await pageB.getByRole('button', { name: 'Save changes' }).click();
    await pageB.getByRole('heading', { name: 'Bello Okoro, Amina' }).waitFor();

    b.proxy.setMode('pass');
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
  }, 150_000);

  it('merges edits of two fields made on both desktops, corrected by hand, and the merge reaches the other desktop', async () => {
    const { page: pageA, desktop: desktopA, proxy: proxyA } = clinic.a;
    const b = await clinic.b();
    const pageB = b.page;
    await allSent(pageB);
    b.proxy.setMode('offline');

    // Ada renames the patient, with a typo; it reaches the server.
    await renamePatient(pageA, desktopA.url, patientId, 'Okoro-Belo', 'Amina');
    await allSent(pageA);

    // Ben, offline, corrects her birth date. Both fields are strict: the server refuses his edit as a whole.
    await pageB.goto(`${b.desktop.url}#/patients/${patientId}/edit`);
    await pageB.getByLabel('Birth date').fill('1990-04-21');
    await pageB.getByRole('button', { name: 'Save changes' }).click();
    await pageB.getByRole('heading', { name: 'Bello Okoro, Amina' }).waitFor();
    b.proxy.setMode('pass');
    await pageB.getByRole('link', { name: '1 conflict to review' }).click();
    const card = pageB.locator('.conflict-card');
    await card.getByRole('cell', { name: 'Okoro-Belo' }).waitFor();
    await card.getByRole('button', { name: 'Merge…' }).click();

    // The merge starts from the name as the server has it; the birth date, strict and in conflict, waits for
    // Ben's choice, so saving the merge as it opens never picks a side for him.
    const family = card.getByRole('group', { name: 'Family name to keep' });
    const birth = card.getByRole('group', { name: 'Birth date to keep' });
    expect(await family.getByRole('radio', { name: 'Server' }).isChecked()).toBe(true);
    expect(await birth.getByRole('radio', { name: 'This device' }).isChecked()).toBe(false);
    expect(await birth.getByRole('radio', { name: 'Server' }).isChecked()).toBe(false);
    await birth.getByRole('radio', { name: 'This device' }).check();
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
    const audit = await call(clinic.server.url, 'GET', `/v1/orgs/${orgId}/audit?recordId=${patientId}`, {
      token: proxyA.lastAuthToken()!,
    });
    const latest = [...audit.body.entries].sort(
      (x: { version: number }, y: { version: number }) => y.version - x.version,
    )[0];
    expect(latest.after).toMatchObject({ family_name: 'Okoro-Bello', birth_date: '1990-04-21' });
    await pageA.goto(`${desktopA.url}#/patients/${patientId}`);
    await pageA.getByRole('heading', { name: 'Okoro-Bello, Amina' }).waitFor({ timeout: 20_000 });
    await pageA.getByRole('link', { name: 'Edit details' }).click();
    expect(await pageA.getByLabel('Birth date').inputValue()).toBe('1990-04-21');
    await pageA.getByRole('button', { name: 'Cancel' }).click();
  }, 90_000);
});
