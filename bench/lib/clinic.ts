/**
 * Talks to a real ClinicSync server process for the benchmarks: sign up,
 * sign in more devices, create an organization in one push, push batches of
 * events, pull pages. Plain fetch, no test-only validation in the path being
 * measured.
 */
import { randomUUID } from 'node:crypto';
import { signIn, signUp, type SignedUpUser } from '../../packages/server/test/support/accounts.ts';
import { insertEvent, type PushEvent as Event } from '../../packages/server/test/support/orgs.ts';
import type { PatientRow } from './rows.ts';

export type Session = SignedUpUser & { readonly base: string };

export async function newSession(base: string): Promise<Session> {
  return { ...(await signUp(base)), base };
}

/** The same user on another device (its own sync token). */
export async function newDevice(session: Session, base: string = session.base): Promise<Session> {
  const deviceId = randomUUID();
  const signedIn = await signIn(base, {
    email: session.email,
    password: session.password,
    deviceId,
    deviceName: 'Bench device',
  });
  return {
    ...session,
    base,
    deviceId,
    syncToken: signedIn.syncToken,
    authToken: signedIn.authToken,
    refreshToken: signedIn.refreshToken,
  };
}

export { insertEvent, updateEvent, type PushEvent as Event } from '../../packages/server/test/support/orgs.ts';

export function patientInsert(row: PatientRow): Event {
  const { id, ...data } = row;
  return insertEvent('patients', data, id);
}

export type PushAnswer = { results: { status: string; version?: number }[] };

/** The request body of a push, serialized ahead so a measurement times the server, not the client's JSON. */
export function pushBody(session: Session, events: readonly Event[]): string {
  return JSON.stringify({ deviceId: session.deviceId, schemaVersion: 1, events });
}

export async function push(session: Session, events: readonly Event[] | string): Promise<PushAnswer> {
  const res = await fetch(`${session.base}/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.syncToken}`, 'content-type': 'application/json' },
    body: typeof events === 'string' ? events : pushBody(session, events),
  });
  if (res.status !== 200) throw new Error(`push failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as PushAnswer;
}

export type PullPage = { changes: { recordId: string; op: string }[]; cursor: string; hasMore: boolean };

/** One pull page as a device asks for it. */
export async function pullPage(session: Session, cursor: string | null, limit: number): Promise<PullPage> {
  const query = new URLSearchParams({ deviceId: session.deviceId, limit: String(limit), schemaVersion: '1' });
  if (cursor !== null) query.set('cursor', cursor);
  const res = await fetch(`${session.base}/v1/sync/pull?${query.toString()}`, {
    headers: { authorization: `Bearer ${session.syncToken}` },
  });
  if (res.status !== 200) throw new Error(`pull failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as PullPage;
}

/** Creates an organization with the caller as admin and a first team, in one push. */
export async function createOrganization(
  session: Session,
  name = 'Bench Clinic',
): Promise<{ organizationId: string; teamId: string; membershipId: string }> {
  const organizationId = randomUUID();
  const teamId = randomUUID();
  const membershipId = randomUUID();
  const answer = await push(session, [
    insertEvent('organizations', { name }, organizationId),
    insertEvent('members', { organization_id: organizationId, user_id: session.userId, role: 'admin' }, membershipId),
    insertEvent('teams', { organization_id: organizationId, name: 'Outpatients' }, teamId),
  ]);
  if (!answer.results.every((r) => r.status === 'applied'))
    throw new Error(`bootstrap failed: ${JSON.stringify(answer)}`);
  return { organizationId, teamId, membershipId };
}
