/**
 * A property of the invitation routes (PROTOCOL §1b) against a model, in
 * process with a fake clock on SQLite and PostgreSQL: random sequences of
 * inviting, re-inviting, accepting, declining, withdrawing, accepting for
 * someone else and letting days pass, after each of which both lists, every
 * answer's status and the invitees' memberships are what the rules say.
 * The model is the protocol's own words: an invitation names an email, waits
 * 14 days, takes one answer, and only its invitee can accept or decline it.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/support/dialects.ts';
import { testApp } from '../../test/support/test-deps.ts';
import { seedMember, seedOrganization } from '../admin/seed-org.fixture.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const PASSWORD = 'long enough password';
const ROLES = ['admin', 'clinician', 'receptionist'] as const;
type Role = (typeof ROLES)[number];
const PEOPLE = 3;

type Step =
  | { kind: 'invite'; person: number; role: Role }
  | { kind: 'accept' | 'decline'; person: number; invitation: number; asPerson: number }
  | { kind: 'withdraw'; invitation: number }
  | { kind: 'days'; days: number };

const person = fc.integer({ min: 0, max: PEOPLE - 1 });
// Indexes into the invitations sent so far (modulo their number), so steps can name old, answered ones too.
const invitation = fc.nat({ max: 20 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('invite' as const), person, role: fc.constantFrom(...ROLES) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('accept' as const, 'decline' as const),
      person,
      invitation,
      asPerson: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: person }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), invitation }) },
  // Steps that land on and around the 14th day, where an invitation ends.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('days' as const), days: fc.constantFrom(1, 7, 13, 14) }) },
);

/** What the protocol says the server holds. */
type ModelInvitation = { id: string; person: number; role: Role; expiresAt: number; open: boolean };

describeEachDialect('invitation lifecycle property', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let url: string;
  beforeAll(async () => {
    url = await dialect.databaseUrl();
    t = await testApp({ url });
  });
  afterAll(() => t.close());

  const request = async (method: string, path: string, token: string) => {
    const res = await t.app.request(path, { method, headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const post = async (path: string, body: unknown, token?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await t.app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const account = async () => {
    const email = `p-${randomUUID()}@example.test`;
    const registered = await post('/v1/auth/register', { email, password: PASSWORD, name: 'P' });
    return { email, userId: registered.body.userId as string };
  };
  // One UI session per person until days pass (auth tokens last 15 minutes); sign-ins hash passwords, so they are few.
  const sessions = new Map<string, string>();
  const token = async (email: string) => {
    let authToken = sessions.get(email);
    if (!authToken) {
      const res = await post('/v1/auth/sign-in', {
        email,
        password: PASSWORD,
        deviceId: randomUUID(),
        deviceName: 'Desk',
      });
      authToken = res.body.authToken as string;
      sessions.set(email, authToken);
    }
    return authToken;
  };

  it('answers every step as the rules say and keeps both lists equal to the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (steps) => {
        const admin = await account();
        const people = await Promise.all(Array.from({ length: PEOPLE }, account));
        const organizationId = await seedOrganization(t.deps.db, { name: 'Riverside' });
        await seedMember(t.deps.db, { organizationId, userId: admin.userId, role: 'admin' });
        const sent: ModelInvitation[] = [];
        const roles = new Map<number, Role>();
        const now = () => t.deps.clock.now().getTime();
        const pending = () => sent.filter((i) => i.open && i.expiresAt > now());

        for (const step of steps) {
          switch (step.kind) {
            case 'invite': {
              const res = await post(
                `/v1/orgs/${organizationId}/invitations`,
                { email: people[step.person]!.email, role: step.role },
                await token(admin.email),
              );
              expect(res.status).toBe(202);
              const waiting = pending().find((i) => i.person === step.person);
              if (waiting) {
                expect(res.body.invitationId).toBe(waiting.id);
                Object.assign(waiting, { role: step.role, expiresAt: now() + 14 * DAY_MS });
              } else {
                expect(sent.map((i) => i.id)).not.toContain(res.body.invitationId);
                sent.push({
                  id: res.body.invitationId,
                  person: step.person,
                  role: step.role,
                  expiresAt: now() + 14 * DAY_MS,
                  open: true,
                });
              }
              break;
            }
            case 'accept':
            case 'decline': {
              if (sent.length === 0) break;
              const target = sent[step.invitation % sent.length]!;
              const actor = step.asPerson === -1 ? target.person : step.asPerson;
              const res = await request(
                'POST',
                `/v1/invitations/${target.id}/${step.kind}`,
                await token(people[actor]!.email),
              );
              const answerable = actor === target.person && pending().includes(target);
              if (!answerable) {
                expect([step, res.status]).toEqual([step, 404]);
                break;
              }
              target.open = false;
              if (step.kind === 'decline') {
                expect(res.status).toBe(204);
                break;
              }
              // A member already keeps their role; otherwise they join with the invitation's.
              const role = roles.get(actor) ?? target.role;
              roles.set(actor, role);
              expect([res.status, res.body]).toEqual([200, { organizationId, role }]);
              break;
            }
            case 'withdraw': {
              if (sent.length === 0) break;
              const target = sent[step.invitation % sent.length]!;
              const res = await request(
                'DELETE',
                `/v1/orgs/${organizationId}/invitations/${target.id}`,
                await token(admin.email),
              );
              const withdrawable = pending().includes(target);
              expect([step, res.status]).toEqual([step, withdrawable ? 204 : 404]);
              if (withdrawable) target.open = false;
              break;
            }
            case 'days':
              t.deps.clock.advance(step.days * DAY_MS);
              sessions.clear();
              break;
          }

          const listed = await request('GET', `/v1/orgs/${organizationId}/invitations`, await token(admin.email));
          const expected = pending().map((i) => ({
            invitationId: i.id,
            email: people[i.person]!.email,
            role: i.role,
          }));
          const byId = (a: { invitationId: string }, b: { invitationId: string }) =>
            a.invitationId < b.invitationId ? -1 : 1;
          expect(
            listed.body.invitations
              .map((i: Record<string, unknown>) => ({ invitationId: i.invitationId, email: i.email, role: i.role }))
              .sort(byId),
          ).toEqual(expected.sort(byId));
          for (const [index, p] of people.entries()) {
            const sessionToken = await token(p.email);
            const mine = await request('GET', '/v1/invitations', sessionToken);
            expect(mine.body.invitations.map((i: { invitationId: string }) => i.invitationId).sort()).toEqual(
              pending()
                .filter((i) => i.person === index)
                .map((i) => i.id)
                .sort(),
            );
            const me = await request('GET', '/v1/me', sessionToken);
            const role = roles.get(index);
            expect(me.body.organizations.filter((o: { id: string }) => o.id === organizationId)).toEqual(
              role ? [{ id: organizationId, name: 'Riverside', role }] : [],
            );
          }
        }
      }),
      { numRuns: 15, seed: 20261201 },
    );
  }, 240_000);
});
