import { ApiError, type OrganizationId } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/support/dialects.ts';
import { testDeps, type TestDeps } from '../../test/support/test-deps.ts';
import { assertOrgAdmin, isOrgAdmin } from './org-admin-access.ts';
import { seedMember, seedOrganization, seedUser, uuid } from './seed-org.fixture.ts';

describeEachDialect('org admin access', (dialect) => {
  let deps: TestDeps;
  let org: OrganizationId;
  let otherOrg: OrganizationId;
  let deletedOrg: OrganizationId;
  const ghostOrg = uuid() as OrganizationId;
  let admin: string;
  let clinician: string;
  let removedAdmin: string;
  let otherAdmin: string;

  beforeAll(async () => {
    deps = await testDeps({ url: await dialect.databaseUrl() });
    org = await seedOrganization(deps.db);
    otherOrg = await seedOrganization(deps.db);
    deletedOrg = await seedOrganization(deps.db, { deleted: true });
    admin = await seedUser(deps.db, 'Admin');
    clinician = await seedUser(deps.db, 'Clinician');
    removedAdmin = await seedUser(deps.db, 'Removed');
    otherAdmin = await seedUser(deps.db, 'Other');
    await seedMember(deps.db, { organizationId: org, userId: admin, role: 'admin' });
    await seedMember(deps.db, { organizationId: org, userId: clinician, role: 'clinician' });
    await seedMember(deps.db, { organizationId: org, userId: removedAdmin, role: 'admin', deleted: true });
    await seedMember(deps.db, { organizationId: otherOrg, userId: otherAdmin, role: 'admin' });
    await seedMember(deps.db, { organizationId: deletedOrg, userId: admin, role: 'admin' });
    // A membership row naming an organization the server has no row for grants nothing.
    await seedMember(deps.db, { organizationId: ghostOrg, userId: admin, role: 'admin' });
  });
  afterAll(() => deps.database.close());

  it('admits a current admin', async () => {
    expect(await isOrgAdmin(deps.db, org, admin)).toBe(true);
    await expect(assertOrgAdmin(deps.db, org, admin)).resolves.toBeUndefined();
  });

  it('refuses a non-admin member, a removed admin, an admin of another organization, a deleted and an unknown organization alike', async () => {
    for (const [organizationId, userId] of [
      [org, clinician],
      [org, removedAdmin],
      [org, otherAdmin],
      [uuid() as OrganizationId, admin],
      [deletedOrg, admin],
      [ghostOrg, admin],
    ] as const) {
      expect(await isOrgAdmin(deps.db, organizationId, userId)).toBe(false);
      const error = await assertOrgAdmin(deps.db, organizationId, userId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('forbidden');
    }
  });
});
