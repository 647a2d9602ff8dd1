/**
 * Journey: the conflict inbox never loses or misleads what staff typed. Ben
 * and Ada rename the same patient (Ben offline): the inbox emphasises the
 * merge, not "Keep mine", a field both changed must be chosen before a merge
 * is saved, and the merged name Ben types survives leaving the inbox and a
 * restart of the app, and is forgotten once the conflict is resolved. Then
 * Ben, demoted to receptionist while offline, sees his vital sign refused
 * with who may record it, and no "Edit and send again" that cannot work.
 */
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import {
  addColleague,
  allSent,
  BEN,
  createAccountAndOrganization,
  registerPatient,
  renamePatient,
  signIn,
  useClinic,
  type Seat,
} from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

const goOffline = async (seat: Seat) => {
  await allSent(seat.page);
  seat.proxy.setMode('offline');
  await seat.page
    .getByText('Changes are saved on this computer and sent when the server is back')
    .waitFor({ timeout: 20_000 });
};

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: the inbox keeps what was typed', () => {
  const clinic = useClinic();
  let patientId = '';

  it('emphasises the merge, asks for the field both changed, and keeps the typed merge until it is saved', async () => {
    await createAccountAndOrganization(clinic);
    const { page: pageA, desktop: desktopA } = clinic.a;
    patientId = await registerPatient(pageA, 'Amina', 'Bello');
    await allSent(pageA);
    await addColleague(clinic);
    const b = await clinic.b();
    await signIn(b, BEN);
    await goOffline(b);

    await renamePatient(pageA, desktopA.url, patientId, 'Bello-Adeyemi', 'Amina');
    await allSent(pageA);
    await renamePatient(b.page, b.desktop.url, patientId, 'Bello Okoro', 'Amina');
    b.proxy.setMode('pass');

    await b.page.getByRole('link', { name: '1 conflict to review' }).click();
    const card = b.page.locator('.conflict-card');
    await card.getByRole('cell', { name: 'Bello-Adeyemi' }).waitFor({ timeout: 20_000 });
    // The one emphasised choice loses nothing; "Keep mine" would overwrite Ada's newer name with one click.
    expect(await card.locator('.form-actions .button.primary').allTextContents()).toEqual(['Merge…']);

    await card.getByRole('button', { name: 'Merge…' }).click();
    const family = card.getByRole('group', { name: 'Family name to keep' });
    expect(await family.getByRole('radio', { name: 'This device' }).isChecked()).toBe(false);
    expect(await family.getByRole('radio', { name: 'Server' }).isChecked()).toBe(false);
    await card.getByRole('button', { name: 'Save merge' }).click();
    await card.getByText("Choose this device's value or the server's, or type the value to keep.").waitFor();
    expect(await card.count()).toBe(1);

    // Ben types the combined name, is called away, and comes back: it is there.
    await card.getByLabel('Merged family name').fill('Bello-Adeyemi Okoro');
    await b.page.getByRole('link', { name: 'Patients', exact: true }).click();
    await b.page.getByRole('heading', { name: 'Patients' }).waitFor();
    await b.page.getByRole('link', { name: /conflict to review/ }).click();
    await card.getByText(/Restored the merge you started/).waitFor({ timeout: 20_000 });
    expect(await card.getByLabel('Merged family name').inputValue()).toBe('Bello-Adeyemi Okoro');

    // The app restarts: still there.
    await b.restart();
    await signIn(b, BEN);
    await b.page.goto(`${b.desktop.url}#/conflicts`);
    await card.getByText(/Restored the merge you started/).waitFor({ timeout: 20_000 });
    expect(await card.getByLabel('Merged family name').inputValue()).toBe('Bello-Adeyemi Okoro');

    const conflictId = (await card.getAttribute('aria-labelledby'))!.replace(/^conflict-/, '');
    await card.getByRole('button', { name: 'Save merge' }).click();
    await b.page.getByText('No conflicts.').waitFor({ timeout: 20_000 });
    await allSent(b.page);
    // Resolved: the draft of the merge is gone from the local store.
    // Asked as the page asks: with its page key (apps/desktop/src/shared/page-key.ts).
    const draftStatus = await b.page.evaluate(
      (key) =>
        fetch(`/api/drafts/${encodeURIComponent(key)}`, {
          headers: {
            accept: 'application/json',
            'x-clinicsync-page-key': localStorage.getItem('clinicsync-page-key') ?? '',
          },
        }).then((r) => r.status),
      `conflicts:merge:${conflictId}`,
    );
    expect(draftStatus).toBe(404);
    await pageA.goto(`${desktopA.url}#/patients/${patientId}`);
    await pageA.getByRole('heading', { name: 'Bello-Adeyemi Okoro, Amina' }).waitFor({ timeout: 20_000 });
  }, 180_000);

  it('offers no edit for a vital sign refused because of the role, and says who may record it', async () => {
    const pageA = clinic.a.page;
    const b = await clinic.b();
    await b.page.goto(`${b.desktop.url}#/patients/${patientId}`);
    await b.page.getByRole('button', { name: 'Record vital sign' }).waitFor();
    await goOffline(b);
    await b.page.getByRole('button', { name: 'Record vital sign' }).click();
    const entry = b.page.getByRole('form', { name: 'Record vital sign' });
    await entry.getByLabel('Value (°C)').fill('38.4');
    await entry.getByRole('button', { name: 'Save' }).click();
    await b.page.locator('.vital-tile[data-kind="body_temperature"]').getByText('38.4 °C').waitFor();

    // Meanwhile Ada makes Ben a receptionist.
    await pageA.getByRole('link', { name: 'Members' }).click();
    await pageA.getByLabel(`Role of ${BEN.name}`).selectOption('receptionist');
    await allSent(pageA);

    b.proxy.setMode('pass');
    await b.page.goto(`${b.desktop.url}#/conflicts`);
    const letter = b.page.locator('.dead-letter');
    await letter.waitFor({ timeout: 20_000 });
    await letter.getByText('Your role does not allow this change.').waitFor();
    await letter
      .getByText(
        'Only administrators and clinicians may enter or change vital signs. Copy it for a colleague who may, then discard it here.',
      )
      .waitFor();
    expect(await letter.getByRole('button', { name: /send again/i }).count()).toBe(0);
    await letter.getByRole('button', { name: 'Copy' }).waitFor();
    await letter.getByRole('button', { name: 'Discard' }).click();
    await letter.waitFor({ state: 'detached' });
  }, 120_000);
});
