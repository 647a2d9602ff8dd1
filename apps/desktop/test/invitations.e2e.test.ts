/**
 * Journey: membership by consent (PROTOCOL §1b). Ada invites Ben by email
 * before he has an account; Ben creates his account on a second desktop,
 * finds the invitation waiting, declines a second one, accepts, works in the
 * clinic and leaves it again. Ada sees pending invitations, withdraws one,
 * and sees Ben join and go. Nobody is a member before saying yes.
 */
import { describe, expect, it } from 'vitest';
import { call } from '../../../packages/server/test/support/http-client.ts';
import { chromiumMissing } from './support/browser.ts';
import { allSent, BEN, createAccountAndOrganization, invite, shot, useClinic } from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: invitations, consent and leaving', () => {
  const clinic = useClinic();

  it('invites by email, the invitee accepts or declines on their own desktop, and can leave', async () => {
    const orgId = await createAccountAndOrganization(clinic);
    const pageA = clinic.a.page;

    // Ada invites Ben, who has no account yet, and someone she then thinks better of.
    await invite(pageA, BEN.email, 'clinician');
    await invite(pageA, 'wrong.address@sunrise.example', 'receptionist');
    await pageA.getByRole('button', { name: 'Withdraw the invitation of wrong.address@sunrise.example' }).click();
    await pageA
      .getByRole('cell', { name: 'wrong.address@sunrise.example', exact: true })
      .waitFor({ state: 'detached' });
    await shot(pageA, '20-members-pending-invitation');
    // The server holds exactly one pending invitation, and Ben is no member.
    const pending = await call(clinic.server.url, 'GET', `/v1/orgs/${orgId}/invitations`, {
      token: clinic.a.proxy.lastAuthToken()!,
    });
    expect(pending.body.invitations.map((i: { email: string }) => i.email)).toEqual([BEN.email]);

    // Ben creates his account on the second desktop: the invitation is waiting, nothing of the clinic is there yet.
    const b = await clinic.b();
    const pageB = b.page;
    await pageB.goto(b.desktop.url);
    await pageB.getByRole('button', { name: 'Create an account' }).click();
    await pageB.getByLabel('Your name').fill(BEN.name);
    await pageB.getByLabel('Email').fill(BEN.email);
    await pageB.getByLabel('Password').fill(BEN.password);
    await pageB.getByRole('button', { name: 'Create account' }).click();
    await pageB.getByRole('heading', { name: 'Create an organization' }).waitFor({ timeout: 20_000 });
    const invitation = pageB.getByRole('listitem', { name: 'Invitation to Sunrise Clinic' });
    await invitation.getByText('Ada Obi invites you as clinician').waitFor();
    await shot(pageB, '21-invitation-waiting');

    // He accepts: the clinic arrives and he works in it.
    await invitation.getByRole('button', { name: 'Accept' }).click();
    await pageB.getByRole('heading', { name: 'Patients' }).waitFor({ timeout: 20_000 });
    await pageB.getByRole('link', { name: 'Register patient' }).click();
    await pageB.getByLabel('Given name').fill('Kofi');
    await pageB.getByLabel('Family name').fill('Boateng');
    await pageB.getByRole('button', { name: 'Register patient' }).click();
    await pageB.getByRole('heading', { name: 'Boateng, Kofi' }).waitFor();
    await allSent(pageB);

    // Ada, still on the Members page, sees him join by name (not as "a member"), and no invitation left.
    await pageA.getByRole('cell', { name: BEN.name, exact: true }).waitFor({ timeout: 20_000 });
    expect(await pageA.getByRole('cell', { name: 'A member', exact: true }).count()).toBe(0);
    await pageA.getByText('No invitations are waiting for an answer.').waitFor();
    await shot(pageA, '22-members-after-accept');

    // A second invitation (as an admin, say) Ben declines.
    await invite(pageA, BEN.email, 'admin');
    await pageB.getByRole('link', { name: 'Organizations' }).click();
    const second = pageB.getByRole('listitem', { name: 'Invitation to Sunrise Clinic' });
    await second.getByRole('button', { name: 'Decline' }).click();
    await pageB.getByText('You declined the invitation to Sunrise Clinic.').waitFor();
    await pageA.reload();
    await pageA.getByText('No invitations are waiting for an answer.').waitFor({ timeout: 20_000 });

    // Ben leaves the clinic: its records leave his desktop, and Ada's members list no longer has him.
    await pageB.getByRole('button', { name: 'Leave organization' }).click();
    await shot(pageB, '23-leave-organization');
    await pageB.getByRole('button', { name: 'Confirm leaving Sunrise Clinic' }).click();
    await pageB.getByRole('heading', { name: 'Create an organization' }).waitFor({ timeout: 20_000 });
    await pageA.reload();
    await pageA.getByRole('heading', { name: 'Members and teams' }).waitFor();
    await expect
      .poll(async () => pageA.getByRole('cell', { name: BEN.name, exact: true }).count(), { timeout: 20_000 })
      .toBe(0);
    const me = await call(clinic.server.url, 'GET', '/v1/me', { token: b.proxy.lastAuthToken()! });
    expect(me.body.organizations).toEqual([]);

    // Ada, the last administrator, cannot leave: the app says so before anything is sent.
    await pageA.getByRole('link', { name: 'Organizations' }).click();
    await pageA.getByRole('button', { name: 'Leave organization' }).click();
    await pageA.getByRole('button', { name: 'Confirm leaving Sunrise Clinic' }).click();
    await pageA.getByText('You are the last administrator of this organization.').waitFor();
  }, 180_000);
});
