/**
 * Organization visibility end to end (PROTOCOL §6), against the real server
 * process on both databases: device stats from pushes, who may look, device
 * revocation, and an audit trail that holds every applied change exactly
 * once and nothing for refused events.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEntry, EventResult } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { describeEachDialect } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import {
  addMember,
  createOrganization,
  deleteEvent,
  insertEvent,
  push,
  pushResults,
  rows,
  updateEvent,
  type PushEvent,
  type PushSession,
} from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const DAY = 86_400_000;

/** An applied change as the audit trail should show it. */
type Expected = { table: string; recordId: string; op: string; version: number; userId: string; deviceId: string };

describeEachDialect('organization visibility (black box)', (dialect) => {
  let server: ServerProcess;
  let base: string;
  let admin: SignedUpUser;
  let clinician: SignedUpUser;
  let otherAdmin: SignedUpUser;
  let orgId: string;
  let teamId: string;
  let otherOrgId: string;
  // Every change the server answered `applied` for in `orgId`, oldest first.
  const ledger: Expected[] = [];

  /** Pushes as `who` and files each applied event of `orgId` in the ledger. */
  async function pushAndRecord(who: SignedUpUser, events: PushEvent[]): Promise<EventResult[]> {
    const results = await pushResults(base, who, events);
    results.forEach((result, i) => {
      const event = events[i]!;
      expect(result.eventId).toBe(event.eventId);
      if (result.status === 'applied') {
        ledger.push({
          table: event.table,
          recordId: event.recordId,
          op: event.op,
          version: result.version,
          userId: who.userId,
          deviceId: who.deviceId,
        });
      }
    });
    return results;
  }

  async function readAudit(
    who: SignedUpUser,
    org: string,
    filters: Record<string, string>,
    limit: number,
  ): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 200; page += 1) {
      const query: URLSearchParams = new URLSearchParams({
        ...filters,
        limit: String(limit),
        ...(cursor ? { cursor } : {}),
      });
      const res: { status: number; body: { entries: AuditEntry[]; nextCursor: string | null } } = await call(
        base,
        'GET',
        `/v1/orgs/${org}/audit?${query}`,
        { token: who.authToken },
      );
      expect(res.status).toBe(200);
      expect(res.body.entries.length).toBeLessThanOrEqual(limit);
      entries.push(...res.body.entries);
      cursor = res.body.nextCursor;
      if (cursor === null) return entries;
    }
    throw new Error('audit paging did not end');
  }

  const summary = (e: AuditEntry | Expected) => ({
    table: e.table,
    recordId: e.recordId,
    op: e.op,
    version: e.version,
    userId: e.userId,
    deviceId: e.deviceId,
  });
  const devicesOf = async (who: SignedUpUser, org: string) =>
    call(base, 'GET', `/v1/orgs/${org}/devices`, { token: who.authToken });

  beforeAll(async () => {
    const db = dialect.name === 'postgres' ? await dialect.databaseUrl() : undefined;
    server = await startServerProcess(db ? { db } : {});
    base = server.url;
    admin = await signUp(base, { name: 'Grace Admin', deviceName: 'Reception PC' });
    clinician = await signUp(base, { name: 'Otto Clinician', deviceName: 'Consultation laptop' });
    otherAdmin = await signUp(base, { name: 'Mallory Elsewhere' });

    const created = await createOrganization(base, admin, { name: 'Riverside Clinic' });
    orgId = created.organizationId;
    teamId = created.teamId;
    ledger.push(
      {
        table: 'organizations',
        recordId: orgId,
        op: 'INSERT',
        version: 1,
        userId: admin.userId,
        deviceId: admin.deviceId,
      },
      {
        table: 'members',
        recordId: created.memberId,
        op: 'INSERT',
        version: 1,
        userId: admin.userId,
        deviceId: admin.deviceId,
      },
      { table: 'teams', recordId: teamId, op: 'INSERT', version: 1, userId: admin.userId, deviceId: admin.deviceId },
    );
    const clinicianMember = await addMember(base, admin, orgId, clinician, 'clinician');
    // Written by the server when the clinician accepted: the trail names them, from the device they signed in on.
    ledger.push({
      table: 'members',
      recordId: clinicianMember,
      op: 'INSERT',
      version: 1,
      userId: clinician.userId,
      deviceId: clinician.deviceId,
    });
    otherOrgId = (await createOrganization(base, otherAdmin, { name: 'Hilltop Practice' })).organizationId;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('shows a device’s outbox report and health after a heartbeat push', async () => {
    const oldestPendingAt = new Date(Date.now() - 4 * DAY).toISOString();
    const heartbeat = await push(base, clinician, [], {
      appVersion: '1.4.2',
      outbox: { pending: 7, oldestPendingAt, openConflicts: 2, deadLetters: 1 },
    });
    expect(heartbeat.status).toBe(200);
    expect(
      (
        await call(base, 'GET', `/v1/sync/pull?deviceId=${clinician.deviceId}&schemaVersion=1`, {
          token: clinician.syncToken,
        })
      ).status,
    ).toBe(200);

    const res = await devicesOf(admin, orgId);
    expect(res.status).toBe(200);
    expect(res.body.devices.map((d: { userId: string }) => d.userId)).toEqual([clinician.userId, admin.userId]);
    expect(res.body.devices[0]).toEqual({
      deviceId: clinician.deviceId,
      deviceName: 'Consultation laptop',
      userId: clinician.userId,
      userName: 'Otto Clinician',
      pending: 7,
      oldestPendingAt,
      openConflicts: 2,
      deadLetters: 1,
      lastPushAt: expect.any(String),
      lastPullAt: expect.any(String),
      schemaVersion: 1,
      appVersion: '1.4.2',
      syncTokenRevoked: false,
      health: 'stale',
      staleness: 'pending for 4 days',
    });
    // The admin's own device pushed the bootstrap without an outbox report: seen just now, nothing pending.
    expect(res.body.devices[1]).toMatchObject({
      deviceId: admin.deviceId,
      health: 'ok',
      staleness: null,
      syncTokenRevoked: false,
    });
    // The other organization's people are not listed.
    expect(JSON.stringify(res.body)).not.toContain(otherAdmin.userId);

    // The next heartbeat replaces the report: the device caught up.
    await push(base, clinician, [], {
      outbox: { pending: 0, oldestPendingAt: null, openConflicts: 0, deadLetters: 0 },
    });
    const after = await devicesOf(admin, orgId);
    expect(after.body.devices.find((d: { userId: string }) => d.userId === clinician.userId)).toMatchObject({
      pending: 0,
      oldestPendingAt: null,
      openConflicts: 0,
      health: 'ok',
      staleness: null,
    });
  });

  it('refuses non-admin members and other organizations’ admins on all three routes (403 forbidden)', async () => {
    for (const [who, org] of [
      [clinician, orgId],
      [otherAdmin, orgId],
      [admin, otherOrgId],
      [admin, randomUUID()],
    ] as const) {
      for (const [method, path] of [
        ['GET', `/v1/orgs/${org}/devices`],
        ['DELETE', `/v1/orgs/${org}/devices/${admin.deviceId}`],
        ['GET', `/v1/orgs/${org}/audit`],
      ] as const) {
        const res = await call(base, method, path, { token: who.authToken });
        expect([method, path, res.status, res.body.error?.code]).toEqual([method, path, 403, 'forbidden']);
      }
    }
  });

  it('refuses a sync token on all three routes (403 wrong_token_kind)', async () => {
    for (const [method, path] of [
      ['GET', `/v1/orgs/${orgId}/devices`],
      ['DELETE', `/v1/orgs/${orgId}/devices/${clinician.deviceId}`],
      ['GET', `/v1/orgs/${orgId}/audit`],
    ] as const) {
      const res = await call(base, method, path, { token: admin.syncToken });
      expect([method, res.status, res.body.error?.code]).toEqual([method, 403, 'wrong_token_kind']);
    }
  });

  it('keeps one audit entry per applied change and none for refused events', async () => {
    const patientId = randomUUID();
    const otherPatientId = randomUUID();
    // Applied: two inserts and an update.
    const first = await pushAndRecord(admin, [
      insertEvent('patients', rows.patient(orgId, { phone: '+256 700 000000' }), patientId),
      insertEvent('patients', rows.patient(orgId, { given_name: 'Kato' }), otherPatientId),
      updateEvent('patients', patientId, 1, { phone: '+256 700 111111' }),
    ]);
    expect(first.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);

    // The clinician pushes a mix: a stale edit of a strict field (conflict), an
    // unknown field, another organization's scope and a missing record
    // (rejected), around edits that apply.
    const appointmentId = randomUUID();
    const mixed = await pushAndRecord(clinician, [
      updateEvent('patients', patientId, 1, { given_name: 'Changed' }),
      insertEvent('patients', { ...rows.patient(orgId), favourite_colour: 'blue' }),
      insertEvent('appointments', rows.appointment(teamId, patientId), appointmentId),
      insertEvent('patients', rows.patient(otherOrgId)),
      updateEvent('patients', randomUUID(), 1, { phone: '+256 700 222222' }),
      updateEvent('patients', patientId, 2, { notes: 'allergic to penicillin' }),
      deleteEvent('patients', otherPatientId, 1),
    ]);
    expect(mixed.map((r) => r.status)).toEqual([
      'conflict',
      'rejected',
      'applied',
      'rejected',
      'rejected',
      'applied',
      'applied',
    ]);

    // Re-sending an applied event is a duplicate and adds nothing.
    const resent = await pushResults(base, admin, [
      {
        ...insertEvent('patients', rows.patient(orgId, { phone: '+256 700 000000' }), patientId),
        eventId: (first[0] as { eventId: string }).eventId,
      },
    ]);
    expect(resent[0]!.status).toBe('duplicate');
    // A push that fails as a whole (another device's id) leaves no trace either.
    expect(
      (
        await push(base, clinician, [updateEvent('patients', patientId, 3, { phone: 'x' })], {
          deviceId: admin.deviceId,
        })
      ).status,
    ).toBe(403);

    const entries = await readAudit(admin, orgId, {}, 100);
    expect(entries.map(summary)).toEqual([...ledger].reverse().map(summary));

    // An UPDATE's before and after are the fields it changed; an INSERT's after and a DELETE's before the whole row.
    const update = entries.find((e) => e.recordId === patientId && e.version === 2)!;
    expect(update).toMatchObject({ op: 'UPDATE', userName: 'Grace Admin' });
    expect(update.before).toEqual({ phone: '+256 700 000000' });
    expect(update.after).toEqual({ phone: '+256 700 111111' });
    const insert = entries.find((e) => e.recordId === patientId && e.version === 1)!;
    expect(insert.after).toMatchObject({ phone: '+256 700 000000', given_name: 'Amina' });
    const deletion = entries.find((e) => e.recordId === otherPatientId && e.op === 'DELETE')!;
    expect(deletion.before).toMatchObject({ given_name: 'Kato' });
    expect(deletion.after).toBeNull();

    // The other organization's trail holds only its own bootstrap.
    const other = await readAudit(otherAdmin, otherOrgId, {}, 100);
    expect(other.map((e) => e.table).sort()).toEqual(['members', 'organizations', 'teams']);
  });

  it('pages and filters the audit trail, returning each entry exactly once', async () => {
    const all = await readAudit(admin, orgId, {}, 100);
    expect(all.length).toBe(ledger.length);
    const atOf = all.map((e) => e.at);
    expect([...atOf].sort().reverse()).toEqual(atOf);

    const check = async (filters: Record<string, string>, keep: (e: AuditEntry) => boolean) => {
      const expected = all.filter(keep);
      expect(expected.length).toBeGreaterThan(0);
      for (const limit of [1, 2, 3]) {
        expect([filters, limit, await readAudit(admin, orgId, filters, limit)]).toEqual([filters, limit, expected]);
      }
    };
    await check({}, () => true);
    await check({ table: 'patients' }, (e) => e.table === 'patients');
    const patientId = all.find((e) => e.table === 'patients' && e.op === 'UPDATE')!.recordId;
    await check({ recordId: patientId }, (e) => e.recordId === patientId);
    await check({ userId: clinician.userId }, (e) => e.userId === clinician.userId);
    await check(
      { deviceId: admin.deviceId, table: 'members' },
      (e) => e.deviceId === admin.deviceId && e.table === 'members',
    );
    const middle = all[Math.floor(all.length / 2)]!.at;
    await check({ since: middle }, (e) => e.at >= middle);
    await check({ until: middle }, (e) => e.at < middle);

    const badCursor = await call(base, 'GET', `/v1/orgs/${orgId}/audit?cursor=not-a-cursor`, {
      token: admin.authToken,
    });
    expect([badCursor.status, badCursor.body.error.code]).toEqual([400, 'invalid_request']);
  });

  it('revokes a member’s device: its next push and pull get 401 token_revoked and the list shows it', async () => {
    // Another organization's admin cannot reach it, through either organization.
    const foreign = await call(base, 'DELETE', `/v1/orgs/${otherOrgId}/devices/${clinician.deviceId}`, {
      token: otherAdmin.authToken,
    });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);
    expect((await push(base, clinician, [])).status).toBe(200);

    const revoked = await call(base, 'DELETE', `/v1/orgs/${orgId}/devices/${clinician.deviceId}`, {
      token: admin.authToken,
    });
    expect([revoked.status, revoked.body]).toEqual([200, { ok: true }]);

    const pushed = await push(base, clinician, []);
    expect([pushed.status, (pushed.body as any).error.code]).toEqual([401, 'token_revoked']);
    const pulled = await call(base, 'GET', `/v1/sync/pull?deviceId=${clinician.deviceId}&schemaVersion=1`, {
      token: clinician.syncToken,
    });
    expect([pulled.status, pulled.body.error.code]).toEqual([401, 'token_revoked']);
    // The admin's own device keeps syncing.
    expect((await push(base, admin as PushSession, [])).status).toBe(200);

    const list = await devicesOf(admin, orgId);
    const byUser = Object.fromEntries(
      list.body.devices.map((d: { userId: string; syncTokenRevoked: boolean }) => [d.userId, d.syncTokenRevoked]),
    );
    expect(byUser).toEqual({ [clinician.userId]: true, [admin.userId]: false });
  });
});
