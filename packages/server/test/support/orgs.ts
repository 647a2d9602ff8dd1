/**
 * Push helpers for black-box suites: event builders, a `push` that returns
 * the server's answer, and `createOrganization`, which bootstraps an
 * organization with its admin membership and first team in one push
 * (PROTOCOL §3 "Bootstrap"). Any signed-up user (see accounts.ts) is a
 * `PushSession`.
 */
import { randomUUID } from 'node:crypto';
import type { EventResult, PushResponse } from '@clinicsync/protocol';
import { call, type JsonResponse } from './http-client.ts';

/** Who pushes: a user's id and one of their devices with its sync token. */
export type PushSession = { readonly userId: string; readonly deviceId: string; readonly syncToken: string };

export type Op = 'INSERT' | 'UPDATE' | 'DELETE';

/** An event as a client sends it (fields may be anything: adversarial tests send nonsense). */
export type PushEvent = {
  eventId: string;
  table: string;
  op: Op | string;
  recordId: string;
  baseVersion: number;
  data?: Record<string, unknown>;
  createdAt: string;
};

/** Any event, with a fresh eventId. */
export function newEvent(
  table: string,
  op: Op | string,
  recordId: string,
  baseVersion: number,
  data?: Record<string, unknown>,
): PushEvent {
  return {
    eventId: randomUUID(),
    table,
    op,
    recordId,
    baseVersion,
    ...(data !== undefined ? { data } : {}),
    createdAt: new Date().toISOString(),
  };
}

export function insertEvent(table: string, data: Record<string, unknown>, recordId: string = randomUUID()): PushEvent {
  return newEvent(table, 'INSERT', recordId, 0, data);
}

export function updateEvent(
  table: string,
  recordId: string,
  baseVersion: number,
  data: Record<string, unknown>,
): PushEvent {
  return newEvent(table, 'UPDATE', recordId, baseVersion, data);
}

export function deleteEvent(table: string, recordId: string, baseVersion: number): PushEvent {
  return newEvent(table, 'DELETE', recordId, baseVersion);
}

export type PushOptions = {
  readonly schemaVersion?: number;
  readonly appVersion?: string;
  readonly outbox?: {
    pending: number;
    oldestPendingAt?: string | null;
    openConflicts?: number;
    deadLetters?: number;
    organizations?: readonly Record<string, unknown>[];
  };
  /** Defaults to the session's device. */
  readonly deviceId?: string;
};

/** `POST /v1/sync/push` as `session`; returns status and body whatever they are. */
export async function push(
  base: string,
  session: PushSession,
  events: readonly PushEvent[],
  options: PushOptions = {},
): Promise<JsonResponse<PushResponse>> {
  return call<PushResponse>(base, 'POST', '/v1/sync/push', {
    token: session.syncToken,
    body: {
      deviceId: options.deviceId ?? session.deviceId,
      schemaVersion: options.schemaVersion ?? 1,
      ...(options.appVersion !== undefined && { appVersion: options.appVersion }),
      ...(options.outbox !== undefined && { outbox: options.outbox }),
      events,
    },
  });
}

/** Pushes and returns the results; throws unless the answer is 200. */
export async function pushResults(
  base: string,
  session: PushSession,
  events: readonly PushEvent[],
  options: PushOptions = {},
): Promise<EventResult[]> {
  const res = await push(base, session, events, options);
  if (res.status !== 200) throw new Error(`push failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.results;
}

/** Pushes and returns each event's new version; throws unless every event was applied. */
export async function pushApplied(base: string, session: PushSession, events: readonly PushEvent[]): Promise<number[]> {
  const results = await pushResults(base, session, events);
  return results.map((result) => {
    if (result.status !== 'applied') throw new Error(`event not applied: ${JSON.stringify(result)}`);
    return result.version;
  });
}

/** The two events that create an organization with `adminId` as its admin (PROTOCOL §3 "Bootstrap"), no team. */
export function bootstrapEvents(adminId: string, organizationId: string = randomUUID()): PushEvent[] {
  return [
    insertEvent('organizations', { name: 'Clinic' }, organizationId),
    insertEvent('members', { organization_id: organizationId, user_id: adminId, role: 'admin' }),
  ];
}

export type CreatedOrganization = {
  readonly organizationId: string;
  readonly teamId: string;
  readonly memberId: string;
};

/** One bootstrap push: the organization, the session's user as its admin, and a first team. */
export async function createOrganization(
  base: string,
  session: PushSession,
  options: { readonly name?: string; readonly teamName?: string } = {},
): Promise<CreatedOrganization> {
  const organizationId = randomUUID();
  const memberId = randomUUID();
  const teamId = randomUUID();
  await pushApplied(base, session, [
    insertEvent('organizations', { name: options.name ?? 'Riverside Clinic' }, organizationId),
    insertEvent('members', { organization_id: organizationId, user_id: session.userId, role: 'admin' }, memberId),
    insertEvent('teams', { organization_id: organizationId, name: options.teamName ?? 'Outpatients' }, teamId),
  ]);
  return { organizationId, teamId, memberId };
}

/** Someone who can be invited and answer: an account's email and a UI session. */
export type Invitee = { readonly userId: string; readonly email: string; readonly authToken: string };

/** The admin invites `email` (PROTOCOL §1b); returns the invitation id; throws unless the answer is 202. */
export async function invite(
  base: string,
  admin: { readonly authToken: string },
  organizationId: string,
  email: string,
  role: 'admin' | 'clinician' | 'receptionist',
  teamId?: string,
): Promise<string> {
  const res = await call(base, 'POST', `/v1/orgs/${organizationId}/invitations`, {
    token: admin.authToken,
    body: { email, role, ...(teamId && { teamId }) },
  });
  if (res.status !== 202) throw new Error(`invite failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.invitationId;
}

/** The invitee accepts; throws unless the answer is 200. */
export async function accept(
  base: string,
  invitee: { readonly authToken: string },
  invitationId: string,
): Promise<{ organizationId: string; role: string }> {
  const res = await call(base, 'POST', `/v1/invitations/${invitationId}/accept`, { token: invitee.authToken });
  if (res.status !== 200) throw new Error(`accept failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * The admin invites `invitee` with `role` and the invitee accepts (the only
 * way in, PROTOCOL §1b); returns the membership id the server wrote, read
 * from the organization's audit trail.
 */
export async function addMember(
  base: string,
  admin: { readonly authToken: string },
  organizationId: string,
  invitee: Invitee,
  role: 'admin' | 'clinician' | 'receptionist',
  teamId?: string,
): Promise<string> {
  await accept(base, invitee, await invite(base, admin, organizationId, invitee.email, role, teamId));
  const audit = await call(base, 'GET', `/v1/orgs/${organizationId}/audit?table=members&userId=${invitee.userId}`, {
    token: admin.authToken,
  });
  const entry = (audit.body?.entries ?? []).find(
    (e: { op: string; after: Record<string, unknown> | null }) =>
      e.op === 'INSERT' && e.after?.user_id === invitee.userId,
  );
  if (audit.status !== 200 || !entry) {
    throw new Error(
      `membership of ${invitee.userId} not found in the audit trail: ${audit.status} ${JSON.stringify(audit.body)}`,
    );
  }
  return entry.recordId;
}

/** Whole rows for each table, valid by the registry, with overridable fields. */
export const rows = {
  patient: (organizationId: string, extra: Record<string, unknown> = {}) => ({
    organization_id: organizationId,
    given_name: 'Amina',
    family_name: 'Okafor',
    ...extra,
  }),
  appointment: (teamId: string, patientId: string, extra: Record<string, unknown> = {}) => ({
    team_id: teamId,
    patient_id: patientId,
    starts_at: '2026-03-02T09:00:00Z',
    duration_min: 20,
    status: 'booked',
    ...extra,
  }),
  vital: (patientId: string, extra: Record<string, unknown> = {}) => ({
    patient_id: patientId,
    kind: 'pulse',
    value: 72,
    unit: 'bpm',
    recorded_at: '2026-03-02T09:05:00Z',
    ...extra,
  }),
  medication: (patientId: string, extra: Record<string, unknown> = {}) => ({
    patient_id: patientId,
    code: 'amoxicillin',
    dose: '500 mg',
    status: 'active',
    ...extra,
  }),
};

/** Tables whose content a refused push must leave exactly as it was (devices and applied_events legitimately change). */
export const DATA_TABLES = [
  'organizations',
  'teams',
  'members',
  'patients',
  'appointments',
  'vitals',
  'medications',
  'change_log',
  'audit_log',
  'org_seq',
  'users',
] as const;
type DataTable = (typeof DATA_TABLES)[number] | 'applied_events' | 'devices';

/**
 * A direct, read-only look at a server process's database, to check what a
 * push really changed: the SQLite file opened read-only, or a PostgreSQL
 * connection. Table names are this file's constants, never input.
 */
export type ServerDatabase = {
  /** Every row of `table` whose `column` equals `value` (or all rows), values as strings, sorted. */
  rows(
    table: DataTable,
    where?: { readonly column: string; readonly value: string },
  ): Promise<Record<string, string | null>[]>;
  /** All DATA_TABLES, for before/after comparisons. */
  dump(): Promise<Record<string, Record<string, string | null>[]>>;
  close(): Promise<void>;
};

/** Opens the database of a server started by `startServerProcess` (`pgUrl` when it runs on PostgreSQL). */
export async function openServerDatabase(server: { sqliteFile(): string }, pgUrl?: string): Promise<ServerDatabase> {
  let select: (sqlText: string, params: string[]) => Promise<Record<string, unknown>[]>;
  let close: () => Promise<void>;
  if (pgUrl) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    select = async (sqlText, params) => {
      let n = 0;
      return (
        await client.query(
          sqlText.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    };
    close = () => client.end();
  } else {
    const { default: SQLite } = await import('better-sqlite3');
    const db = new SQLite(server.sqliteFile(), { readonly: true, fileMustExist: true });
    select = async (sqlText, params) => db.prepare(sqlText).all(...params) as Record<string, unknown>[];
    close = async () => {
      db.close();
    };
  }
  const normalize = (row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.keys(row)
        .sort()
        .map((key) => [key, row[key] === null || row[key] === undefined ? null : String(row[key])]),
    );
  const sorted = (rows: Record<string, string | null>[]) =>
    rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  const database: ServerDatabase = {
    rows: async (table, where) => {
      if (where && !/^[a-z_]+$/.test(where.column)) throw new Error(`bad column ${where.column}`);
      const rows = where
        ? await select(`select * from ${table} where ${where.column} = ?`, [where.value])
        : await select(`select * from ${table}`, []);
      return sorted(rows.map(normalize));
    },
    dump: async () =>
      Object.fromEntries(
        await Promise.all(DATA_TABLES.map(async (table) => [table, await database.rows(table)] as const)),
      ),
    close,
  };
  return database;
}
