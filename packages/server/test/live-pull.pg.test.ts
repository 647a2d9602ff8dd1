/**
 * Waiting pulls across instances (PROTOCOL §4 "Live"): two server processes
 * on one PostgreSQL database; a push on one wakes a device waiting on the
 * other through LISTEN/NOTIFY, also after the listening connection was cut.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from './support/accounts.ts';
import { freshPostgresDatabase, requirePostgres } from './support/dialects.ts';
import { pull, pullToEnd, until, waitingPulls } from './support/live.ts';
import { addMember, createOrganization, insertEvent, pushApplied, rows } from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const enabled = Boolean(requirePostgres());

describe.skipIf(!enabled)('waiting pull across two instances on PostgreSQL', () => {
  let url: string;
  let one: ServerProcess;
  let two: ServerProcess;
  beforeAll(async () => {
    url = await freshPostgresDatabase();
    one = await startServerProcess({ db: url });
    two = await startServerProcess({ db: url });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
  });

  async function clinic() {
    const admin = await signUp(one.url);
    const colleague = await signUp(one.url);
    const org = await createOrganization(one.url, admin);
    await addMember(one.url, admin, org.organizationId, colleague, 'clinician');
    return { admin, colleague, org, cursor: await pullToEnd(two.url, colleague) };
  }

  it('a push on instance 1 answers a pull waiting on instance 2', async () => {
    const { admin, colleague, org, cursor } = await clinic();
    const before = await waitingPulls(two.url);
    const waiting = pull(two.url, colleague, { cursor, wait: 55 });
    await until('instance 2 holds the pull', async () => (await waitingPulls(two.url)) > before);
    const patientId = randomUUID();
    await pushApplied(one.url, admin, [insertEvent('patients', rows.patient(org.organizationId), patientId)]);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.changes.map((c) => c.recordId)).toEqual([patientId]);
  }, 30_000);

  it('keeps waking waiters after its listening connection is cut', async () => {
    const { admin, colleague, org, cursor } = await clinic();
    const admin_ = new pg.Client({ connectionString: url });
    await admin_.connect();
    try {
      const cut = await admin_.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'LISTEN%'`,
      );
      expect(cut.rowCount).toBe(2); // one listener per instance
      await until('both instances listen again', async () => {
        const r = await admin_.query(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'LISTEN%'`,
        );
        return r.rows[0].n === 2;
      });
    } finally {
      await admin_.end();
    }
    const before = await waitingPulls(two.url);
    const waiting = pull(two.url, colleague, { cursor, wait: 55 });
    await until('instance 2 holds the pull', async () => (await waitingPulls(two.url)) > before);
    const patientId = randomUUID();
    await pushApplied(one.url, admin, [insertEvent('patients', rows.patient(org.organizationId), patientId)]);
    expect((await waiting).body.changes.map((c) => c.recordId)).toEqual([patientId]);
  }, 30_000);

  it('several waiting pulls share the one listening connection of their instance', async () => {
    const { admin, colleague, org, cursor } = await clinic();
    const before = await waitingPulls(two.url);
    const devices = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const deviceId = randomUUID();
        const res = await fetch(new URL('/v1/auth/sign-in', one.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: colleague.email, password: colleague.password, deviceId, deviceName: 'extra' }),
        });
        expect(res.status).toBe(200);
        return {
          userId: colleague.userId,
          deviceId,
          syncToken: ((await res.json()) as { syncToken: string }).syncToken,
        };
      }),
    );
    const cursors = await Promise.all(devices.map((d) => pullToEnd(two.url, d)));
    const waits = [
      pull(two.url, colleague, { cursor, wait: 55 }),
      ...devices.map((d, i) => pull(two.url, d, { cursor: cursors[i], wait: 55 })),
    ];
    await until('instance 2 holds every pull', async () => (await waitingPulls(two.url)) >= before + waits.length);
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      const r = await check.query(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'LISTEN%'`,
      );
      expect(r.rows[0].n).toBe(2);
    } finally {
      await check.end();
    }
    const patientId = randomUUID();
    await pushApplied(one.url, admin, [insertEvent('patients', rows.patient(org.organizationId), patientId)]);
    for (const res of await Promise.all(waits)) expect(res.body.changes.map((c) => c.recordId)).toEqual([patientId]);
  }, 60_000);
});
