/**
 * Black-box live sync: engines with default options, started, against the
 * real server process (PROTOCOL §4 "Live"). A change made on one device is
 * in the other devices' stores without anyone calling syncNow — through the
 * waiting pull, which the server holds until the change arrives. No
 * durations are asserted (the benchmark measures them); a change that never
 * arrives fails by the test's timeout.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from '../../server/test/support/accounts.ts';
import { waitingPulls } from '../../server/test/support/live.ts';
import { startServerProcess, type ServerProcess } from '../../server/test/support/server-process.ts';
import { addMember } from '../../server/test/support/orgs.ts';
import { openSyncEngine } from '../src/index.ts';
import type { SyncEngine } from '../src/sync-engine.ts';

let server: ServerProcess;
let alice: SignedUpUser;
let bob: SignedUpUser;
let carol: SignedUpUser;
const engines: SyncEngine[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  [alice, bob, carol] = await Promise.all([
    signUp(server.url, { name: 'Alice' }),
    signUp(server.url, { name: 'Bob' }),
    signUp(server.url, { name: 'Carol' }),
  ]);
}, 60_000);
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
  });
  engines.push(engine);
  return engine;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('live sync between started engines', () => {
  it("a receptionist's new patient and an appointment marked arrived reach the clinicians' stores on their own", async () => {
    const reception = await deviceOf(alice);
    const org = reception.insert('organizations', { name: 'Riverside Clinic' });
    reception.insert('members', { organization_id: org.id, user_id: alice.userId, role: 'admin' });
    const team = reception.insert('teams', { organization_id: org.id, name: 'Outpatients' });
    await reception.syncNow();
    // Colleagues join by accepting an invitation (PROTOCOL §1b).
    for (const colleague of [bob, carol]) await addMember(server.url, alice, org.id, colleague, 'clinician', team.id);
    const clinicians = [await deviceOf(bob), await deviceOf(carol)];
    const held = await waitingPulls(server.url);
    for (const engine of [reception, ...clinicians]) engine.start();
    await until('every clinician has the organization', () =>
      clinicians.every((c) => c.get('teams', team.id) !== undefined),
    );
    await until('all three devices wait live', async () => (await waitingPulls(server.url)) >= held + 3);

    const patient = reception.insert('patients', {
      organization_id: org.id,
      given_name: 'Amina',
      family_name: 'Okafor',
    });
    const appointment = reception.insert('appointments', {
      team_id: team.id,
      patient_id: patient.id,
      starts_at: '2026-12-01T09:00:00Z',
      duration_min: 20,
      status: 'booked',
    });
    await until('the clinicians have the patient and the booking', () =>
      clinicians.every((c) => c.get('appointments', appointment.id)?.status === 'booked'),
    );

    reception.update('appointments', appointment.id, { status: 'arrived' });
    await until('the clinicians see "arrived"', () =>
      clinicians.every((c) => c.get('appointments', appointment.id)?.status === 'arrived'),
    );
    expect(clinicians.map((c) => c.get('patients', patient.id)?.family_name)).toEqual(['Okafor', 'Okafor']);

    // And the other way: a clinician's vitals reach the reception desk.
    const vital = clinicians[0]!.insert('vitals', {
      patient_id: patient.id,
      kind: 'heart_rate',
      value: 72,
      unit: '/min',
      recorded_at: '2026-12-01T09:05:00Z',
    });
    await until('reception has the vital', () => reception.get('vitals', vital.id) !== undefined);
    for (const engine of [reception, ...clinicians])
      expect(engine.status()).toMatchObject({ pending: 0, deadLetters: 0, openConflicts: 0 });
  }, 60_000);
});
