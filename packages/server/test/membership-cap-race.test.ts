/**
 * The 50-organization cap (PROTOCOL §1b) when a person's ways in meet: at 49
 * memberships, creating organizations of their own in parallel pushes and
 * accepting invitations at the same moment must still end at 50, on SQLite
 * and PostgreSQL alike. Each way in counts the person's memberships; only a
 * count taken under the person's own lock sees the others' results.
 */
import { MAX_MEMBERSHIPS_PER_USER } from '@clinicsync/protocol';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIn, signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import { bootstrapEvents, createOrganization, invite, pushResults } from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describeEachDialect('the membership cap under concurrent ways in (black box)', (dialect) => {
  let server: ServerProcess;
  let person: SignedUpUser;
  let inviter: SignedUpUser;

  beforeAll(async () => {
    server = await startServerProcess(dialect.name === 'postgres' ? { db: await dialect.databaseUrl() } : {});
    [person, inviter] = await Promise.all([signUp(server.url), signUp(server.url)]);
    const own = Array.from({ length: MAX_MEMBERSHIPS_PER_USER - 1 }, () => bootstrapEvents(person.userId)).flat();
    expect((await pushResults(server.url, person, own)).every((r) => r.status === 'applied')).toBe(true);
  }, 60_000);
  afterAll(() => server?.stop());

  const memberships = async () =>
    (await call(server.url, 'GET', '/v1/me', { token: person.authToken })).body.organizations.length as number;

  it('lets exactly one of two parallel new organizations and two parallel accepts take the last place', async () => {
    expect(await memberships()).toBe(MAX_MEMBERSHIPS_PER_USER - 1);
    const invitations: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { organizationId } = await createOrganization(server.url, inviter);
      invitations.push(await invite(server.url, inviter, organizationId, person.email, 'clinician'));
    }
    // A second device of the person, so the two pushes are two devices syncing at once.
    const laptopId = randomUUID();
    const laptop = await signIn(server.url, { email: person.email, password: person.password, deviceId: laptopId });
    const laptopSession = { userId: person.userId, deviceId: laptopId, syncToken: laptop.syncToken };

    const [first, second, ...accepts] = await Promise.all([
      pushResults(server.url, person, bootstrapEvents(person.userId)),
      pushResults(server.url, laptopSession, bootstrapEvents(person.userId)),
      ...invitations.map((id) => call(server.url, 'POST', `/v1/invitations/${id}/accept`, { token: person.authToken })),
    ]);
    const created = [first!, second!].filter((results) => results.every((r) => r.status === 'applied')).length;
    const accepted = accepts.filter((res) => res.status === 200).length;
    expect(created + accepted).toBe(1);
    for (const res of accepts) expect([200, 409]).toContain(res.status);
    expect(await memberships()).toBe(MAX_MEMBERSHIPS_PER_USER);
  });
});
