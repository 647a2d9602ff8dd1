/**
 * Keeps the latest outbox report of the pushing device (PROTOCOL §6): every
 * push, an empty heartbeat too, updates the caller's own `devices` row,
 * keyed by the token's user and device, never by the payload. The report's
 * per-organization share (attribute-outbox.ts) replaces the device's rows in
 * `device_outbox`, for the person's current organizations only.
 *
 * A push with events writes its report in the batch's own transaction
 * (push-routes.ts): one commit per request, and a report is never kept for
 * a batch that was rolled back. A push without events reports alone.
 */
import type { OutboxReport } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { ServerDb } from '../../db/schema.ts';
import { listMemberships } from '../../auth/memberships.ts';
import { attributeOutbox } from './attribute-outbox.ts';
import type { Actor } from './event-types.ts';

export type DeviceReport = {
  readonly actor: Actor;
  readonly schemaVersion: number;
  readonly appVersion: string | undefined;
  readonly outbox: OutboxReport | undefined;
  readonly now: string;
};

/**
 * Stores the report on the actor's device row; fields the client did not send keep their previous value.
 * `db` may be a transaction already open: the report's statements then run in it.
 */
export async function reportDevice(db: Kysely<ServerDb>, report: DeviceReport): Promise<void> {
  const { actor, outbox } = report;
  await db
    .updateTable('devices')
    .set({
      last_push_at: report.now,
      schema_version: report.schemaVersion,
      ...(report.appVersion !== undefined && { app_version: report.appVersion }),
      ...(outbox && {
        pending: outbox.pending,
        oldest_pending_at: outbox.oldestPendingAt ?? null,
        ...(outbox.openConflicts !== undefined && { open_conflicts: outbox.openConflicts }),
        ...(outbox.deadLetters !== undefined && { dead_letters: outbox.deadLetters }),
      }),
    })
    .where('user_id', '=', actor.userId)
    .where('device_id', '=', actor.deviceId)
    .execute();
  if (outbox) await reportPerOrganization(db, actor, outbox, report.now);
}

/** Replaces the device's per-organization figures with those of `outbox`. */
async function reportPerOrganization(
  db: Kysely<ServerDb>,
  actor: Actor,
  outbox: OutboxReport,
  now: string,
): Promise<void> {
  const memberships = (await listMemberships(db, actor.userId)).map((m) => m.id);
  const rows = attributeOutbox(outbox, memberships).map((entry) => ({
    user_id: actor.userId,
    device_id: actor.deviceId,
    organization_id: entry.organizationId,
    pending: entry.pending,
    oldest_pending_at: entry.oldestPendingAt,
    open_conflicts: entry.openConflicts,
    dead_letters: entry.deadLetters,
    reported_at: now,
  }));
  const replace = async (trx: Kysely<ServerDb>) => {
    await trx
      .deleteFrom('device_outbox')
      .where('user_id', '=', actor.userId)
      .where('device_id', '=', actor.deviceId)
      .execute();
    if (rows.length > 0) await trx.insertInto('device_outbox').values(rows).execute();
  };
  // Kysely opens no transaction inside another; the open one already makes the delete and insert one change.
  if (db.isTransaction) await replace(db);
  else await db.transaction().execute(replace);
}
