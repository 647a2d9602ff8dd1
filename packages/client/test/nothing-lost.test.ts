/**
 * Black-box reproductions of "nothing typed is ever lost" (docs/conflict-resolution.md):
 * sync engines, through their public API, against the real `clinicsync-server`
 * process. Each case once lost a resolution, a queued edit or a whole device.
 */
import type { PushRequest } from '@clinicsync/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../server/test/support/accounts.ts';
import { startServerProcess, type ServerProcess } from '../../server/test/support/server-process.ts';
import { addMember } from '../../server/test/support/orgs.ts';
import { openSyncEngine, ResolutionSentError, type SyncEngine } from '../src/index.ts';
import { openBetterSqlite3 } from '../src/store/better-sqlite3-database.ts';
import type { SqliteDatabase } from '../src/store/sqlite-database.ts';

let server: ServerProcess;
let admin: SignedUpUser;
let clinician: SignedUpUser;
let receptionist: SignedUpUser;
const engines: SyncEngine[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  [admin, clinician, receptionist] = await Promise.all([
    signUp(server.url, { name: 'Ada' }),
    signUp(server.url, { name: 'Cleo' }),
    signUp(server.url, { name: 'Remi' }),
  ]);
}, 60_000);
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});
afterAll(() => server?.stop());

/** The device's network: pushes can be cut, and a push carrying `poison` in its events answers 500 (a server bug). */
type Net = { pushesDown: boolean; poison: string | null; pushes: PushRequest[] };
const internalError = () =>
  new Response(JSON.stringify({ error: { code: 'internal', message: 'Internal error.', details: {} } }), {
    status: 500,
    headers: { 'content-type': 'application/json' },
  });
type Device = { engine: SyncEngine; db: SqliteDatabase; net: Net; clock: { offsetMs: number } };

async function deviceOf(user: SignedUpUser): Promise<Device> {
  const net: Net = { pushesDown: false, poison: null, pushes: [] };
  const clock = { offsetMs: 0 };
  const db = openBetterSqlite3(':memory:');
  const engine = await openSyncEngine({
    dbPath: ':memory:',
    database: db,
    serverUrl: server.url,
    deviceId: user.deviceId,
    getSyncToken: () => user.syncToken,
    clock: { now: () => new Date(Date.now() + clock.offsetMs) },
    fetch: async (input, init) => {
      if (String(input).includes('/v1/sync/push')) {
        if (net.pushesDown) throw new TypeError('fetch failed: offline');
        const body = JSON.parse(String(init?.body)) as PushRequest;
        net.pushes.push(body);
        if (net.poison !== null && JSON.stringify(body.events).includes(net.poison)) return internalError();
      }
      return fetch(input, init);
    },
  });
  engines.push(engine);
  return { engine, db, net, clock };
}

/** An organization with the admin, a clinician and a receptionist, and one patient everyone has pulled. */
async function clinic() {
  const a = await deviceOf(admin);
  const org = a.engine.insert('organizations', { name: 'Riverside Clinic' });
  a.engine.insert('members', { organization_id: org.id, user_id: admin.userId, role: 'admin' });
  const team = a.engine.insert('teams', { organization_id: org.id, name: 'Outpatients' });
  await a.engine.syncNow();
  // Colleagues join by accepting an invitation (PROTOCOL §1b).
  const clinicianRow = { id: await addMember(server.url, admin, org.id, clinician, 'clinician', team.id) };
  await addMember(server.url, admin, org.id, receptionist, 'receptionist', team.id);
  const patient = a.engine.insert('patients', {
    organization_id: org.id,
    given_name: 'Amina',
    family_name: 'Okafor',
    phone: '100',
    notes: 'first visit',
  });
  await a.engine.syncNow();
  const c = await deviceOf(clinician);
  await c.engine.syncNow();
  expect(c.engine.get('patients', patient.id)).toMatchObject({ version: 1 });
  return { a, c, organizationId: org.id, patientId: patient.id, clinicianMemberId: clinicianRow.id };
}

/** What the server holds now, as a fresh device of the admin pulls it. */
async function onServer(table: 'patients', id: string) {
  const observer = await openSyncEngine({
    dbPath: ':memory:',
    serverUrl: server.url,
    deviceId: admin.deviceId,
    getSyncToken: () => admin.syncToken,
  });
  try {
    await observer.syncNow();
    return observer.get(table, id);
  } finally {
    await observer.close();
  }
}

describe('a conflict resolution always reaches the server or stays visible', () => {
  it('keep mine is sent although another edit of the record is still queued, based on the server version the conflict showed', async () => {
    const { a, c, patientId } = await clinic();
    a.engine.update('patients', patientId, { phone: 'theirs' });
    await a.engine.syncNow();
    c.engine.update('patients', patientId, { phone: 'mine' });
    c.engine.update('patients', patientId, { address: '12 Hill Road' });
    // The first push answers the phone change as a conflict; the queued address change cannot leave.
    c.net.pushesDown = false;
    const pushes = c.net.pushes.length;
    const original = c.engine.syncNow();
    while (c.net.pushes.length === pushes) await new Promise((r) => setTimeout(r, 2));
    c.net.pushesDown = true;
    await original;
    const [conflict] = c.engine.conflicts();
    expect(conflict).toMatchObject({ op: 'UPDATE', fields: ['phone'], conflictingFields: ['phone'], serverVersion: 2 });
    expect(c.engine.status().pending).toBe(1);

    c.engine.resolveConflict(conflict!.id, { kind: 'keep_mine' });
    expect(c.engine.conflicts()).toEqual([]);
    expect(c.engine.unsentResolutions()).toHaveLength(1);
    expect(c.engine.get('patients', patientId)).toMatchObject({ phone: 'mine', address: '12 Hill Road' });
    c.net.pushesDown = false;
    await c.engine.syncNow();
    expect(c.engine.conflicts()).toEqual([]);
    expect(c.engine.unsentResolutions()).toEqual([]);
    expect(c.engine.status()).toMatchObject({ pending: 0, openConflicts: 0, deadLetters: 0 });
    expect(await onServer('patients', patientId)).toMatchObject({
      phone: 'mine',
      address: '12 Hill Road',
      notes: 'first visit',
    });
  });

  it('a merge is sent although another edit of the record is still queued', async () => {
    const { a, c, patientId } = await clinic();
    a.engine.update('patients', patientId, { phone: 'theirs' });
    await a.engine.syncNow();
    c.engine.update('patients', patientId, { phone: 'mine' });
    c.engine.update('patients', patientId, { notes: 'second visit' });
    c.net.pushesDown = true;
    await c.engine.syncNow();
    // Only the first event gets an answer: one push goes through, then the network drops.
    c.net.pushesDown = false;
    const before = c.net.pushes.length;
    const run = c.engine.syncNow();
    while (c.net.pushes.length === before) await new Promise((r) => setTimeout(r, 2));
    c.net.pushesDown = true;
    await run;
    const [conflict] = c.engine.conflicts();
    c.engine.resolveConflict(conflict!.id, { kind: 'merge', data: { phone: 'mine, or theirs after 6 pm' } });
    c.net.pushesDown = false;
    await c.engine.syncNow();
    expect(c.engine.status()).toMatchObject({ pending: 0, openConflicts: 0, deadLetters: 0 });
    expect(await onServer('patients', patientId)).toMatchObject({
      phone: 'mine, or theirs after 6 pm',
      notes: 'second visit',
    });
  });

  it('keep mine and take theirs decide the conflicting fields only: both sides keep their other changes', async () => {
    for (const kind of ['keep_mine', 'take_theirs'] as const) {
      const { a, c, patientId } = await clinic();
      a.engine.update('patients', patientId, { phone: 'theirs', notes: 'a note from the server side' });
      await a.engine.syncNow();
      c.engine.update('patients', patientId, { phone: 'mine', address: '12 Hill Road' });
      await c.engine.syncNow();
      const [conflict] = c.engine.conflicts();
      expect(conflict!.conflictingFields).toEqual(['phone']);
      c.engine.resolveConflict(conflict!.id, { kind });
      await c.engine.syncNow();
      expect(c.engine.status()).toMatchObject({ pending: 0, openConflicts: 0 });
      const expected = {
        phone: kind === 'keep_mine' ? 'mine' : 'theirs',
        address: '12 Hill Road',
        notes: 'a note from the server side',
      };
      expect(await onServer('patients', patientId)).toMatchObject(expected);
      expect(c.engine.get('patients', patientId)).toMatchObject(expected);
    }
  });

  it('keep mine on a DELETE conflict deletes on the server; take theirs keeps the server row', async () => {
    for (const kind of ['keep_mine', 'take_theirs'] as const) {
      const { a, c, patientId } = await clinic();
      a.engine.update('patients', patientId, { notes: 'seen again' });
      await a.engine.syncNow();
      c.engine.delete('patients', patientId);
      await c.engine.syncNow();
      const [conflict] = c.engine.conflicts();
      expect(conflict).toMatchObject({ op: 'DELETE', serverVersion: 2, conflictingFields: ['notes'] });
      c.engine.resolveConflict(conflict!.id, { kind });
      await c.engine.syncNow();
      expect(c.engine.status()).toMatchObject({ pending: 0, openConflicts: 0, deadLetters: 0 });
      if (kind === 'keep_mine') {
        expect(await onServer('patients', patientId)).toBeUndefined();
        expect(c.engine.get('patients', patientId)).toBeUndefined();
      } else {
        expect(await onServer('patients', patientId)).toMatchObject({ notes: 'seen again' });
        expect(c.engine.get('patients', patientId)).toMatchObject({ notes: 'seen again', version: 2 });
      }
    }
  });

  it('a resolution can be undone until a push carries it, and not after', async () => {
    const { a, c, patientId } = await clinic();
    a.engine.update('patients', patientId, { phone: 'theirs' });
    await a.engine.syncNow();
    c.engine.update('patients', patientId, { phone: 'mine' });
    await c.engine.syncNow();
    const [conflict] = c.engine.conflicts();
    c.engine.resolveConflict(conflict!.id, { kind: 'keep_mine' });
    expect(c.engine.get('patients', patientId)).toMatchObject({ phone: 'mine' });
    c.engine.undoResolution(conflict!.id);
    expect(c.engine.conflicts().map((x) => x.id)).toEqual([conflict!.id]);
    expect(c.engine.status()).toMatchObject({ pending: 0, openConflicts: 1 });
    expect(c.engine.get('patients', patientId)).toMatchObject({ phone: 'theirs' });

    // Offline: the push never got anywhere, so the choice can still be taken back.
    c.engine.resolveConflict(conflict!.id, { kind: 'keep_mine' });
    c.net.pushesDown = true;
    await c.engine.syncNow();
    c.engine.undoResolution(conflict!.id);
    c.engine.resolveConflict(conflict!.id, { kind: 'keep_mine' });
    // The server answered (with an error): it may have it now, undo is too late.
    c.net.poison = '"phone":"mine"';
    c.net.pushesDown = false;
    await c.engine.syncNow();
    expect(() => c.engine.undoResolution(conflict!.id)).toThrow(ResolutionSentError);
    c.net.poison = null;
    c.clock.offsetMs = 31_000;
    await c.engine.syncNow();
    expect(c.engine.status()).toMatchObject({ pending: 0, openConflicts: 0 });
    expect(c.engine.unsentResolutions()).toEqual([]);
    expect(await onServer('patients', patientId)).toMatchObject({ phone: 'mine' });
  });

  it('a full resync (410) while the person is out of the organization turns its conflicts and unsent edits into dead letters', async () => {
    const { a, c, patientId, clinicianMemberId } = await clinic();
    const other = a.engine.insert('patients', {
      organization_id: a.engine.get('patients', patientId)!.organization_id as string,
      given_name: 'Ben',
      family_name: 'Odhiambo',
    });
    await a.engine.syncNow();
    await c.engine.syncNow();
    a.engine.update('patients', patientId, { notes: 'changed by the admin' });
    await a.engine.syncNow();
    c.engine.delete('patients', patientId);
    await c.engine.syncNow();
    expect(c.engine.conflicts()).toHaveLength(1);
    c.engine.update('patients', other.id, { phone: 'typed while leaving' });
    a.engine.delete('members', clinicianMemberId);
    await a.engine.syncNow();
    // The server can no longer continue from this device's cursor (a restore): a full resync.
    c.db.run("UPDATE _sync_state SET value = 'cs1.garbage' WHERE key = 'cursor'");
    await c.engine.syncNow();
    expect(c.engine.conflicts()).toEqual([]);
    expect(c.engine.status()).toMatchObject({ pending: 0, openConflicts: 0, deadLetters: 2 });
    // The unsent edit is refused by the push (no longer a member); the open conflict by the resync's sweep.
    expect(c.engine.deadLetters().map((d) => ({ op: d.op, code: d.code, recordId: d.recordId }))).toEqual([
      { op: 'UPDATE', code: 'forbidden', recordId: other.id },
      { op: 'DELETE', code: 'organization_revoked', recordId: patientId },
    ]);
    expect(c.engine.deadLetters()[0]!.record).toMatchObject({ given_name: 'Ben', phone: 'typed while leaving' });
    expect(c.engine.deadLetters()[1]!.record).toMatchObject({ given_name: 'Amina' });
    expect(c.engine.get('patients', patientId)).toBeUndefined();
  });
});

describe('refused changes say what happened in words', () => {
  it('edits queued on a record whose creation was refused become dead letters with a reason, and are never sent', async () => {
    const { a, patientId } = await clinic();
    const r = await deviceOf(receptionist);
    await r.engine.syncNow();
    const vital = r.engine.insert('vitals', {
      patient_id: patientId,
      kind: 'heart_rate',
      value: 72,
      unit: '/min',
      recorded_at: '2026-01-01T09:00:00Z',
    });
    r.engine.update('vitals', vital.id, { value: 74 });
    await r.engine.syncNow();
    expect(r.engine.deadLetters().map((d) => [d.op, d.code])).toEqual([
      ['INSERT', 'forbidden'],
      ['UPDATE', 'creation_refused'],
    ]);
    expect(r.engine.deadLetters()[1]!.message).not.toMatch(/baseVersion|version it was based on/);
    expect(r.net.pushes.flatMap((p) => p.events).filter((e) => e.op === 'UPDATE')).toEqual([]);
    expect(r.engine.recordSyncState('vitals', vital.id)).toMatchObject({ state: 'refused' });
    expect(r.engine.status()).toMatchObject({ pending: 0, deadLetters: 2 });
    void a;
  });
});

describe('one bad event never stops a device', () => {
  it('a batch the server keeps failing is split until the failing event is alone; it is held with its reason and everything else syncs', async () => {
    const { c, organizationId } = await clinic();
    c.net.poison = 'POISON';
    const ids = ['P1', 'P2', 'POISON', 'P4', 'P5', 'P6'].map(
      (name) =>
        c.engine.insert('patients', { organization_id: organizationId, given_name: name, family_name: 'Batch' }).id,
    );
    const child = c.engine.insert('appointments', {
      team_id: c.engine.list('teams', { where: { organization_id: organizationId } })[0]!.id,
      patient_id: ids[2]!,
      starts_at: '2026-02-01T09:00:00Z',
      duration_min: 15,
      status: 'booked',
    });
    const before = c.net.pushes.length;
    await c.engine.syncNow();
    expect(c.net.pushes.length - before).toBeLessThan(16);
    expect(c.engine.status()).toMatchObject({ phase: 'idle', pending: 2, held: 1 });
    const [held] = c.engine.heldChanges();
    expect(held).toMatchObject({ recordId: ids[2], op: 'INSERT', code: 'internal', attempts: 1 });
    expect(held!.message).toMatch(/kept on this computer/);
    for (const [i, id] of ids.entries()) {
      if (i === 2)
        expect(c.engine.recordSyncState('patients', id)).toMatchObject({
          state: 'not_sent',
          held: { code: 'internal' },
        });
      else {
        expect(c.engine.recordSyncState('patients', id)).toEqual({ state: 'sent' });
        expect(await onServer('patients', id)).toMatchObject({ family_name: 'Batch' });
      }
    }
    // The appointment of the held patient waits with it instead of being refused.
    expect(c.engine.recordSyncState('appointments', child.id)).toMatchObject({ state: 'not_sent', held: null });
    expect(c.engine.deadLetters()).toEqual([]);

    // No hot loop: until its retry time the held event is not sent again.
    const quiet = c.net.pushes.length;
    await c.engine.syncNow();
    expect(c.net.pushes.slice(quiet).flatMap((p) => p.events)).toEqual([]);

    // The server is fixed; at the retry time it goes out, and its appointment after it.
    c.net.poison = null;
    c.clock.offsetMs = 31_000;
    await c.engine.syncNow();
    await c.engine.syncNow();
    expect(c.engine.status()).toMatchObject({ pending: 0, held: 0, deadLetters: 0 });
    expect(await onServer('patients', ids[2]!)).toMatchObject({ given_name: 'POISON' });
  });
});
