/**
 * Test fixtures for the admin queries: users, memberships, devices and audit
 * rows written straight into the server database, so each query can be
 * tested without going through sign-in and push. Not used by the server.
 */
import { randomUUID } from 'node:crypto';
import type { OrganizationId } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { DevicesTable, ServerDb } from '../db/schema.ts';

/** A fresh UUID (fixtures only; feature code takes ids from `deps.ids`). */
export function uuid(): string {
  return randomUUID();
}

/** A user account (no usable password). */
export async function seedUser(db: Kysely<ServerDb>, name: string): Promise<string> {
  const id = uuid();
  await db
    .insertInto('users')
    .values({ id, email: `${id}@example.test`, name, password_hash: 'x', created_at: '2026-01-01T00:00:00.000Z' })
    .execute();
  return id;
}

/** A live (or tombstoned) organizations row. */
export async function seedOrganization(
  db: Kysely<ServerDb>,
  input: { name?: string; deleted?: boolean } = {},
): Promise<OrganizationId> {
  const id = uuid() as OrganizationId;
  await db
    .insertInto('organizations')
    .values({
      id,
      version: 1,
      updated_at: '2026-01-01T00:00:00.000Z',
      updated_by: id,
      deleted: input.deleted ? 1 : 0,
      field_versions: '{}',
      name: input.name ?? 'Clinic',
    })
    .execute();
  return id;
}

/** A members row, live unless `deleted`. */
export async function seedMember(
  db: Kysely<ServerDb>,
  input: { organizationId: string; userId: string; role: 'admin' | 'clinician' | 'receptionist'; deleted?: boolean },
): Promise<string> {
  const id = uuid();
  await db
    .insertInto('members')
    .values({
      id,
      version: 1,
      updated_at: '2026-01-01T00:00:00.000Z',
      updated_by: input.userId,
      deleted: input.deleted ? 1 : 0,
      field_versions: '{}',
      organization_id: input.organizationId,
      user_id: input.userId,
      role: input.role,
      team_id: null,
    })
    .execute();
  return id;
}

/**
 * A device row of `userId`; every column can be overridden. With
 * `reportFor`, its outbox figures are also its report for that organization
 * (as a push with the per-organization split stores it). Returns the device id.
 */
export async function seedDevice(
  db: Kysely<ServerDb>,
  input: { userId: string; deviceId?: string; deviceName?: string; reportFor?: string } & Partial<
    Omit<DevicesTable, 'user_id' | 'device_id' | 'device_name'>
  >,
): Promise<string> {
  const { userId, deviceId = uuid(), deviceName = 'Front desk PC', reportFor, ...rest } = input;
  if (reportFor !== undefined) {
    await db
      .insertInto('device_outbox')
      .values({
        user_id: userId,
        device_id: deviceId,
        organization_id: reportFor,
        pending: rest.pending ?? 0,
        oldest_pending_at: rest.oldest_pending_at ?? null,
        open_conflicts: rest.open_conflicts ?? null,
        dead_letters: rest.dead_letters ?? null,
        reported_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
  }
  await db
    .insertInto('devices')
    .values({
      user_id: userId,
      device_id: deviceId,
      device_name: deviceName,
      sync_token_hash: `hash-${uuid()}`,
      created_at: '2026-01-01T00:00:00.000Z',
      ...rest,
    })
    .execute();
  return deviceId;
}

/** An audit row; `at` defaults to one minute per seq after 2026-01-01T00:00Z. */
export type SeedAuditRow = {
  organizationId: string;
  seq: number;
  userId: string;
  deviceId?: string | null;
  table?: string;
  recordId?: string;
  op?: 'INSERT' | 'UPDATE' | 'DELETE';
  at?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

/** Writes one audit row as the push pipeline would. */
export async function seedAudit(db: Kysely<ServerDb>, row: SeedAuditRow): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      organization_id: row.organizationId,
      seq: row.seq,
      at: row.at ?? new Date(Date.UTC(2026, 0, 1) + row.seq * 60_000).toISOString(),
      user_id: row.userId,
      device_id: row.deviceId ?? null,
      event_id: uuid(),
      table_name: row.table ?? 'patients',
      record_id: row.recordId ?? uuid(),
      op: row.op ?? 'INSERT',
      version: row.seq,
      before: row.before === undefined || row.before === null ? null : JSON.stringify(row.before),
      after:
        row.after === undefined
          ? JSON.stringify({ n: row.seq })
          : row.after === null
            ? null
            : JSON.stringify(row.after),
    })
    .execute();
}
