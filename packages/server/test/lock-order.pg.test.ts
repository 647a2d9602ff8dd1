/**
 * One lock order on PostgreSQL: a person's lock (`lockMembershipsOf`) before
 * any organization's (`lockOrganization`). A push that creates an
 * organization while it also writes to an existing one, and the same person
 * accepting an invitation to that one, would otherwise each hold the lock the
 * other waits for; PostgreSQL then breaks the circle only after its deadlock
 * timeout. Each case holds the person's lock from outside, lets the request
 * queue behind it, and checks that the organization's lock is still free.
 * PostgreSQL only: SQLite runs one writer at a time and takes no row locks.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { freshPostgresDatabase, requirePostgres } from './support/dialects.ts';
import { call, type JsonResponse } from './support/http-client.ts';
import { addMember, createOrganization, insertEvent, invite, push, updateEvent } from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

describe.skipIf(!requirePostgres())('lock order: a person before an organization [postgres]', () => {
  let url: string;
  let server: ServerProcess;
  let person: SignedUpUser;
  let colleague: SignedUpUser;

  beforeAll(async () => {
    url = await freshPostgresDatabase();
    server = await startServerProcess({ db: url });
    [person, colleague] = await Promise.all([signUp(server.url), signUp(server.url)]);
  }, 60_000);
  afterAll(() => server?.stop());

  async function client(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return c;
  }

  /**
   * Runs `request` while the person's `users` row is locked from outside, and answers whether the organization's
   * lock was free while the request waited; then lets the request finish and returns its answer.
   */
  async function whileThePersonIsLocked<T>(
    organizationId: string,
    request: () => Promise<JsonResponse<T>>,
  ): Promise<{ organizationFree: boolean; answer: JsonResponse<T> }> {
    const holder = await client();
    const probe = await client();
    try {
      await holder.query('begin');
      await holder.query('select 1 from users where id = $1 for update', [person.userId]);
      const pending = request();
      await untilSomeoneWaitsForALock(probe);
      await probe.query('begin');
      const organizationFree = await probe
        .query('select 1 from org_seq where organization_id = $1 for update nowait', [organizationId])
        .then(
          () => true,
          (error: { code?: string }) => {
            if (error.code !== '55P03') throw error;
            return false;
          },
        );
      await probe.query('rollback');
      await holder.query('commit');
      return { organizationFree, answer: await pending };
    } finally {
      await Promise.all([holder.end(), probe.end()]);
    }
  }

  async function untilSomeoneWaitsForALock(probe: pg.Client): Promise<void> {
    for (let waited = 0; waited < 10_000; waited += 20) {
      const { rows } = await probe.query(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      );
      if (rows[0].n > 0) return;
      await new Promise((resume) => setTimeout(resume, 20));
    }
    throw new Error('the request never waited for the person’s lock');
  }

  it('an accept waits for the person before it locks the organization', async () => {
    const { organizationId } = await createOrganization(server.url, colleague);
    const invitationId = await invite(server.url, colleague, organizationId, person.email, 'clinician');
    const { organizationFree, answer } = await whileThePersonIsLocked(organizationId, () =>
      call(server.url, 'POST', `/v1/invitations/${invitationId}/accept`, { token: person.authToken }),
    );
    expect(answer.status).toBe(200);
    expect(organizationFree).toBe(true);
  });

  it('a push creating an organization waits for the person before its first event locks an existing one', async () => {
    // The person and the colleague administer one organization; demoting the colleague locks it (last-admin check).
    const { organizationId } = await createOrganization(server.url, person);
    const colleagueRow = await addMember(server.url, person, organizationId, colleague, 'admin');
    const created = randomUUID();
    const { organizationFree, answer } = await whileThePersonIsLocked(organizationId, () =>
      push(server.url, person, [
        updateEvent('members', colleagueRow, 1, { role: 'clinician' }),
        insertEvent('organizations', { name: 'Second clinic' }, created),
        insertEvent('members', { organization_id: created, user_id: person.userId, role: 'admin' }),
      ]),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(organizationFree).toBe(true);
  });
});
