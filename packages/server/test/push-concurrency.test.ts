/**
 * Concurrent pushes (PROTOCOL §3 "Version guard", §4 "never skips a
 * committed change"): devices racing on one record, on SQLite (one process,
 * writers serialized) and on PostgreSQL with TWO server instances sharing the
 * database, so the races happen between connections for real. Every round:
 * exactly one winner, the loser sees the winner's record, nothing lost,
 * sequence numbers unique and gapless.
 */
import { randomUUID } from 'node:crypto';
import type { EventResult } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIn, signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import {
  addMember,
  createOrganization,
  insertEvent,
  openServerDatabase,
  push,
  pushApplied,
  pushResults,
  rows,
  updateEvent,
  type CreatedOrganization,
  type PushSession,
  type ServerDatabase,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const ROUNDS = 25;

describeEachDialect('concurrent pushes', (dialect) => {
  let servers: ServerProcess[] = [];
  let db: ServerDatabase;
  let alice!: SignedUpUser;
  let carol!: SignedUpUser;
  let aliceLaptop!: PushSession;
  let org!: CreatedOrganization;
  /** Alternates instances so the two sides of each race go through different servers (on PostgreSQL). */
  const url = (side: number) => servers[side % servers.length]!.url;

  beforeAll(async () => {
    const pgUrl = dialect.name === 'postgres' ? await dialect.databaseUrl() : undefined;
    servers.push(await startServerProcess(pgUrl ? { db: pgUrl } : {}));
    if (pgUrl) servers.push(await startServerProcess({ db: pgUrl }));
    db = await openServerDatabase(servers[0]!, pgUrl);
    [alice, carol] = (await Promise.all([signUp(url(0)), signUp(url(0))])) as [SignedUpUser, SignedUpUser];
    const laptop = await signIn(url(0), { email: alice.email, password: alice.password, deviceName: 'Laptop' });
    const device = (await db.rows('devices', { column: 'user_id', value: alice.userId })).find(
      (d) => d.device_id !== alice.deviceId,
    )!;
    aliceLaptop = { userId: alice.userId, deviceId: device.device_id!, syncToken: laptop.syncToken };
    org = await createOrganization(url(0), alice);
    await addMember(url(0), alice, org.organizationId, carol, 'clinician');
  });
  afterAll(async () => {
    await db?.close();
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
  });

  const byStatus = (results: readonly EventResult[]) => [...results].sort((a, b) => a.status.localeCompare(b.status));

  it('lets exactly one of two concurrent edits of one record win; the other sees the winner', async () => {
    const patient = randomUUID();
    const medication = randomUUID();
    await pushApplied(url(0), carol, [
      insertEvent('patients', rows.patient(org.organizationId), patient),
      insertEvent('medications', rows.medication(patient), medication),
    ]);
    for (let round = 0; round < ROUNDS; round++) {
      const base = round + 1;
      const doses = [`${round} mg from Carol`, `${round} mg from Alice`];
      const [fromCarol, fromAlice] = await Promise.all([
        pushResults(url(0), carol, [updateEvent('medications', medication, base, { dose: doses[0]! })]),
        pushResults(url(1), alice, [updateEvent('medications', medication, base, { dose: doses[1]! })]),
      ]);
      const [applied, conflict] = byStatus([fromCarol![0]!, fromAlice![0]!]);
      expect([applied!.status, conflict!.status], `round ${round}`).toEqual(['applied', 'conflict']);
      if (applied!.status !== 'applied' || conflict!.status !== 'conflict') return;
      expect(applied!.version).toBe(base + 1);
      const winner = applied === fromCarol![0] ? doses[0] : doses[1];
      expect(conflict).toMatchObject({
        serverVersion: base + 1,
        fields: ['dose'],
        serverRecord: { dose: winner, version: base + 1 },
      });
      expect((await db.rows('medications', { column: 'id', value: medication }))[0]).toMatchObject({
        dose: winner,
        version: String(base + 1),
      });
    }
    expect(await db.rows('audit_log', { column: 'record_id', value: medication })).toHaveLength(ROUNDS + 1);
  });

  it('applies both of two concurrent edits of different fields (field-level merge under a race)', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const patient = randomUUID();
      await pushApplied(url(0), alice, [insertEvent('patients', rows.patient(org.organizationId), patient)]);
      const [phone, address] = await Promise.all([
        pushResults(url(0), alice, [updateEvent('patients', patient, 1, { phone: `phone ${round}` })]),
        pushResults(url(1), aliceLaptop, [updateEvent('patients', patient, 1, { address: `address ${round}` })]),
      ]);
      expect([phone![0]!.status, address![0]!.status], `round ${round}`).toEqual(['applied', 'applied']);
      expect((await db.rows('patients', { column: 'id', value: patient }))[0]).toMatchObject({
        phone: `phone ${round}`,
        address: `address ${round}`,
        version: '3',
      });
    }
  });

  it('applies an event once when it is re-sent while its first copy is still running', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const event = insertEvent('patients', rows.patient(org.organizationId));
      const [first, second] = await Promise.all([
        pushResults(url(0), carol, [event]),
        pushResults(url(1), carol, [event]),
      ]);
      expect(
        byStatus([first![0]!, second![0]!]).map((r) => r.status),
        `round ${round}`,
      ).toEqual(['applied', 'duplicate']);
      expect(await db.rows('audit_log', { column: 'record_id', value: event.recordId })).toHaveLength(1);
    }
  });

  it('lets exactly one of two concurrent INSERTs of one id win', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = randomUUID();
      const [a, b] = await Promise.all([
        pushResults(url(0), carol, [
          insertEvent('patients', rows.patient(org.organizationId, { given_name: 'Carol' }), id),
        ]),
        pushResults(url(1), alice, [
          insertEvent('patients', rows.patient(org.organizationId, { given_name: 'Alice' }), id),
        ]),
      ]);
      const [applied, conflict] = byStatus([a![0]!, b![0]!]);
      expect([applied!.status, conflict!.status], `round ${round}`).toEqual(['applied', 'conflict']);
      const stored = (await db.rows('patients', { column: 'id', value: id }))[0]!;
      expect(conflict).toMatchObject({ serverVersion: 1, serverRecord: { given_name: stored.given_name } });
    }
  });

  it('keeps an admin when two admins demote each other at the same time', async () => {
    for (let round = 0; round < 10; round++) {
      const [first, second] = (await Promise.all([signUp(url(0)), signUp(url(0))])) as [SignedUpUser, SignedUpUser];
      const clinic = await createOrganization(url(0), first);
      const secondMembership = await addMember(url(0), first, clinic.organizationId, second, 'admin');
      const [demoteSecond, demoteFirst] = await Promise.all([
        pushResults(url(0), first, [updateEvent('members', secondMembership, 1, { role: 'clinician' })]),
        pushResults(url(1), second, [updateEvent('members', clinic.memberId, 1, { role: 'clinician' })]),
      ]);
      const outcomes = [demoteSecond![0]!, demoteFirst![0]!]
        .map((r) => (r.status === 'rejected' ? r.code : r.status))
        .sort();
      // Whoever commits second no longer is an admin (forbidden) or would remove the last one (last_admin).
      expect(
        outcomes.filter((o) => o === 'applied'),
        `round ${round}: ${outcomes}`,
      ).toHaveLength(1);
      const admins = (await db.rows('members', { column: 'organization_id', value: clinic.organizationId })).filter(
        (m) => m.role === 'admin' && m.deleted === '0',
      );
      expect(admins).toHaveLength(1);
    }
  });

  it('numbers every applied change of an organization uniquely and without gaps under concurrent load', async () => {
    const clinic = await createOrganization(url(0), alice);
    const writers = [alice, aliceLaptop, alice, aliceLaptop];
    await Promise.all(
      writers.map((writer, index) =>
        (async () => {
          for (let batch = 0; batch < 5; batch++) {
            await pushAppliedRetryingWhenBusy(
              url(index),
              writer,
              Array.from({ length: 10 }, () => insertEvent('patients', rows.patient(clinic.organizationId))),
            );
          }
        })(),
      ),
    );
    const audit = (await db.rows('audit_log', { column: 'organization_id', value: clinic.organizationId }))
      .map((a) => Number(a.seq))
      .sort((a, b) => a - b);
    expect(audit).toEqual(Array.from({ length: 3 + 4 * 5 * 10 }, (_, i) => i + 1));
    const [seq] = await db.rows('org_seq', { column: 'organization_id', value: clinic.organizationId });
    expect(Number(seq!.last_seq)).toBe(audit.length);
    const log = await db.rows('change_log', { column: 'organization_id', value: clinic.organizationId });
    expect(new Set(log.map((l) => l.seq)).size).toBe(log.length);
  });
});

/**
 * Four writers of one person exceed their three concurrent pushes whenever
 * the server holds them together (PROTOCOL: `429 rate_limited`, nothing
 * applied); like a device's engine, a writer then waits its Retry-After and
 * sends the batch again. Bounded, so a server that never frees a slot fails.
 */
async function pushAppliedRetryingWhenBusy(
  base: string,
  session: PushSession,
  events: Parameters<typeof push>[2],
): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const res = await push(base, session, events);
    if (res.status === 429 && (res.body as { error?: { code?: string } }).error?.code === 'rate_limited') {
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after')) * 1000));
      continue;
    }
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => r.status)).toEqual(events.map(() => 'applied'));
    return;
  }
  throw new Error('the push was refused as busy 20 times');
}
