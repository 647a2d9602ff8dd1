/**
 * Talks to a real ClinicSync server process for the benchmarks: sign up,
 * create an organization in one push, push batches of events. Plain fetch,
 * no test-only validation in the path being measured.
 */
import { randomUUID } from 'node:crypto';
import { signUp, type SignedUpUser } from '../../packages/server/test/support/accounts.ts';
import type { PatientRow } from './rows.ts';

export type Session = SignedUpUser & { readonly base: string };

export async function newSession(base: string): Promise<Session> {
  return { ...(await signUp(base)), base };
}

export type Event = {
  eventId: string;
  table: string;
  op: 'INSERT' | 'UPDATE' | 'DELETE';
  recordId: string;
  baseVersion: number;
  data?: Record<string, unknown>;
  createdAt: string;
};

export function insertEvent(table: string, recordId: string, data: Record<string, unknown>): Event {
  return { eventId: randomUUID(), table, op: 'INSERT', recordId, baseVersion: 0, data, createdAt: new Date().toISOString() };
}

export function patientInsert(row: PatientRow): Event {
  const { id, ...data } = row;
  return insertEvent('patients', id, data);
}

export async function push(session: Session, events: readonly Event[]): Promise<{ results: { status: string }[] }> {
  const res = await fetch(`${session.base}/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.syncToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: session.deviceId, schemaVersion: 1, events }),
  });
  if (res.status !== 200) throw new Error(`push failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { results: { status: string }[] };
}

/** Creates an organization with the caller as admin and a first team, in one push. */
export async function createOrganization(session: Session, name = 'Bench Clinic'): Promise<{ organizationId: string; teamId: string }> {
  const organizationId = randomUUID();
  const teamId = randomUUID();
  const answer = await push(session, [
    insertEvent('organizations', organizationId, { name }),
    insertEvent('members', randomUUID(), { organization_id: organizationId, user_id: session.userId, role: 'admin' }),
    insertEvent('teams', teamId, { organization_id: organizationId, name: 'Outpatients' }),
  ]);
  if (!answer.results.every((r) => r.status === 'applied')) throw new Error(`bootstrap failed: ${JSON.stringify(answer)}`);
  return { organizationId, teamId };
}

/** Adds `userId` to the organization as a clinician (the admin's push). */
export async function addMember(admin: Session, organizationId: string, userId: string): Promise<void> {
  const answer = await push(admin, [insertEvent('members', randomUUID(), { organization_id: organizationId, user_id: userId, role: 'clinician' })]);
  if (answer.results[0]?.status !== 'applied') throw new Error(`adding a member failed: ${JSON.stringify(answer)}`);
}
