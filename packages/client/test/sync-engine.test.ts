/**
 * Black-box: sync engines against the real `clinicsync-server` process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../server/test/support/accounts.ts';
import { addMember } from '../../server/test/support/orgs.ts';
import { startServerProcess, type ServerProcess } from '../../server/test/support/server-process.ts';
import { openSyncEngine } from '../src/index.ts';
import type { SyncEngine } from '../src/sync-engine.ts';

let server: ServerProcess;
let alice: SignedUpUser;
let bob: SignedUpUser;
const engines: SyncEngine[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  [alice, bob] = await Promise.all([signUp(server.url, { name: 'Alice' }), signUp(server.url, { name: 'Bob' })]);
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});
afterAll(() => server?.stop());

async function deviceOf(user: SignedUpUser): Promise<SyncEngine> {
  const engine = await openSyncEngine({
    dbPath: ':memory:',
    serverUrl: server.url,
    deviceId: user.deviceId,
    getSyncToken: () => user.syncToken,
    appVersion: 'test',
  });
  engines.push(engine);
  return engine;
}

/** Bootstraps an organization from the engine itself, as the desktop does: one push creates it, its admin and a team. */
function createOrganizationOn(engine: SyncEngine, admin: SignedUpUser) {
  const org = engine.insert('organizations', { name: 'Riverside Clinic' });
  engine.insert('members', { organization_id: org.id, user_id: admin.userId, role: 'admin' });
  const team = engine.insert('teams', { organization_id: org.id, name: 'Outpatients' });
  return { organizationId: org.id, teamId: team.id };
}

/** The admin's device sends the new organization, then `user` is invited and accepts (the only way in, PROTOCOL §1b). */
async function join(
  engine: SyncEngine,
  admin: SignedUpUser,
  organizationId: string,
  user: SignedUpUser,
  role: 'clinician' | 'receptionist',
  teamId?: string,
): Promise<{ id: string }> {
  await engine.syncNow();
  return { id: await addMember(server.url, admin, organizationId, user, role, teamId) };
}

describe('sync engines against the real server', () => {
  it('an organization created on one device, its patients and edits reach a colleague, concurrent edits merge or conflict', async () => {
    const a = await deviceOf(alice);
    const b = await deviceOf(bob);
    const { organizationId, teamId } = createOrganizationOn(a, alice);
    const bobMember = await join(a, alice, organizationId, bob, 'clinician', teamId);
    const patient = a.insert('patients', {
      organization_id: organizationId,
      given_name: 'Amina',
      family_name: 'Okafor',
    });
    await a.syncNow();
    expect(a.status()).toMatchObject({ phase: 'idle', pending: 0, openConflicts: 0, deadLetters: 0 });
    expect(a.get('patients', patient.id)).toMatchObject({ version: 1, updated_by: alice.userId });

    await b.syncNow();
    expect(b.get('patients', patient.id)).toMatchObject({ given_name: 'Amina', version: 1 });
    expect(b.get('members', bobMember.id)).toMatchObject({ role: 'clinician' });
    expect(b.searchPatients(organizationId, 'oka').map((p) => p.id)).toEqual([patient.id]);

    // Different non-strict fields: both are kept (field-level merge on the server).
    a.update('patients', patient.id, { notes: 'allergic to penicillin' });
    b.update('patients', patient.id, { phone: '+254 700 000000' });
    await a.syncNow();
    await b.syncNow();
    await a.syncNow();
    for (const device of [a, b]) {
      expect(device.get('patients', patient.id)).toMatchObject({
        notes: 'allergic to penicillin',
        phone: '+254 700 000000',
        version: 3,
      });
      expect(device.conflicts()).toEqual([]);
    }

    // The same strict field on both: the later push is a conflict, shown with both sides.
    a.update('patients', patient.id, { family_name: 'Okafor-Mensah' });
    b.update('patients', patient.id, { family_name: 'Mensah' });
    await a.syncNow();
    await b.syncNow();
    const [conflict] = b.conflicts();
    expect(conflict).toMatchObject({
      recordId: patient.id,
      fields: ['family_name'],
      local: { family_name: 'Mensah' },
      server: { family_name: 'Okafor-Mensah' },
    });
    expect(b.get('patients', patient.id)?.family_name).toBe('Okafor-Mensah');
    b.resolveConflict(conflict!.id, { kind: 'keep_mine' });
    await b.syncNow();
    await a.syncNow();
    expect(a.get('patients', patient.id)).toMatchObject({ family_name: 'Mensah', version: 5 });
    expect(b.status()).toMatchObject({ pending: 0, openConflicts: 0 });
  });

  it('a device removed from an organization purges it and keeps its unsent edits as dead letters', async () => {
    const a = await deviceOf(alice);
    const b = await deviceOf(bob);
    const { organizationId } = createOrganizationOn(a, alice);
    const bobMember = await join(a, alice, organizationId, bob, 'receptionist');
    const patient = a.insert('patients', {
      organization_id: organizationId,
      given_name: 'Kofi',
      family_name: 'Boateng',
    });
    await a.syncNow();
    await b.syncNow();
    expect(b.get('patients', patient.id)).toBeDefined();

    a.delete('members', bobMember.id);
    await a.syncNow();
    b.update('patients', patient.id, { phone: '555' });
    await b.syncNow();
    expect(b.get('patients', patient.id)).toBeUndefined();
    expect(b.list('patients', { where: { organization_id: organizationId } })).toEqual([]);
    expect(b.deadLetters()).toMatchObject([{ recordId: patient.id, op: 'UPDATE', data: { phone: '555' } }]);
    expect(b.status()).toMatchObject({ pending: 0, deadLetters: 1 });
    b.discardDeadLetter(b.deadLetters()[0]!.id);
    expect(b.status().deadLetters).toBe(0);
  });

  it('a receptionist recording vitals gets a dead letter, and the queue keeps moving', async () => {
    const a = await deviceOf(alice);
    const b = await deviceOf(bob);
    const { organizationId } = createOrganizationOn(a, alice);
    await join(a, alice, organizationId, bob, 'receptionist');
    const patient = a.insert('patients', {
      organization_id: organizationId,
      given_name: 'Kofi',
      family_name: 'Boateng',
    });
    await a.syncNow();
    await b.syncNow();
    const vital = b.insert('vitals', {
      patient_id: patient.id,
      kind: 'heart_rate',
      value: 70,
      unit: '/min',
      recorded_at: '2026-03-02T09:05:00Z',
    });
    const edit = b.update('patients', patient.id, { phone: '123' });
    await b.syncNow();
    expect(b.deadLetters()).toMatchObject([{ recordId: vital.id, code: 'forbidden' }]);
    expect(b.get('vitals', vital.id)).toBeUndefined();
    expect(b.get('patients', patient.id)).toMatchObject({ phone: edit.phone, version: 2 });
  });

  it('a revoked sync token stops sync with sign_in_required; a new token resumes it without losing the queue', async () => {
    const carol = await signUp(server.url, { name: 'Carol' });
    let token = carol.syncToken;
    const engine = await openSyncEngine({
      dbPath: ':memory:',
      serverUrl: server.url,
      deviceId: carol.deviceId,
      getSyncToken: () => token,
      intervalMs: 60_000,
      debounceMs: 10,
    });
    engines.push(engine);
    const { organizationId } = createOrganizationOn(engine, carol);
    await engine.syncNow();
    token = 'not-a-valid-token';
    const patient = engine.insert('patients', {
      organization_id: organizationId,
      given_name: 'Esi',
      family_name: 'Owusu',
    });
    await engine.syncNow();
    expect(engine.status()).toMatchObject({ phase: 'sign_in_required', pending: 1 });
    token = carol.syncToken;
    engine.start();
    engine.resetForSignIn();
    await expect.poll(() => engine.status().pending, { timeout: 5_000 }).toBe(0);
    expect(engine.get('patients', patient.id)?.version).toBe(1);
  });
});
