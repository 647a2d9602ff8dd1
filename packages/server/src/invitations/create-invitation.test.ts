import type { OrganizationId } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../test/support/test-deps.ts';
import { seedMember, seedOrganization, seedUser } from '../admin/seed-org.fixture.ts';
import { createInvitation } from './create-invitation.ts';
import { DEFAULT_INVITATION_RULES } from './invitation-rules.ts';

describe('createInvitation', () => {
  it('invites only while the inviter is an admin, checked under the organization lock', async () => {
    const deps = await testDeps();
    const organizationId = await seedOrganization(deps.db);
    const admin = await seedUser(deps.db, 'Ada');
    const removed = await seedUser(deps.db, 'Eve');
    await seedMember(deps.db, { organizationId, userId: admin, role: 'admin' });
    // Eve passed the route's admin check, then another admin's push removed her before her transaction ran.
    await seedMember(deps.db, { organizationId, userId: removed, role: 'admin', deleted: true });
    const invite = (invitedBy: string) =>
      createInvitation(
        { ...deps, rules: DEFAULT_INVITATION_RULES },
        {
          organizationId: organizationId as OrganizationId,
          invitedBy,
          request: { email: 'eve.second@example.test', role: 'admin' },
          now: deps.clock.now(),
        },
      );
    expect((await invite(removed)).kind).toBe('not_admin');
    expect((await invite(admin)).kind).toBe('invited');
    await deps.database.close();
  });
});
