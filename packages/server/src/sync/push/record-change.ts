/**
 * Step 7 of the push pipeline: records an applied change for pull and for
 * the audit trail (PROTOCOL §3, §4, §6), under one freshly allocated
 * per-organization sequence number.
 *
 * The sequence is allocated with `update org_seq … returning`, which holds
 * the organization's counter row lock until the transaction commits. So
 * within an organization, commit order equals sequence order, and a pull that
 * has read up to seq N can never later miss a change with a lower seq that
 * committed late (DESIGN "Change log").
 *
 * The change log keeps ONE row per record, its latest change: the old row is
 * replaced, so a record changed ten times is pulled once.
 */
import { sql, type Transaction } from 'kysely';
import type { ServerDb } from '../../db/schema.ts';
import type { Actor, ScopedEvent, StoredRow } from './event-types.ts';
import { toChangeData } from './stored-row.ts';

export type ChangeRecord = {
  readonly event: ScopedEvent;
  readonly before: StoredRow | undefined;
  readonly after: StoredRow;
  readonly actor: Actor;
  readonly now: string;
};

/** Writes the change log row and the audit row of one applied change; returns the allocated seq. */
export async function recordChange(trx: Transaction<ServerDb>, change: ChangeRecord): Promise<number> {
  const { event, before, after, actor, now } = change;
  const organizationId = event.organizationId;
  const seq = await allocateSeq(trx, organizationId);

  await trx
    .deleteFrom('change_log')
    .where('organization_id', '=', organizationId)
    .where('table_name', '=', event.table)
    .where('record_id', '=', event.recordId)
    .execute();
  await trx
    .insertInto('change_log')
    .values({
      organization_id: organizationId,
      seq,
      table_name: event.table,
      record_id: event.recordId,
      version: after.version,
      op: after.deleted ? 'DELETE' : 'UPSERT',
      data: after.deleted ? null : JSON.stringify(toChangeData(after)),
    })
    .execute();

  await trx
    .insertInto('audit_log')
    .values({
      organization_id: organizationId,
      seq,
      at: now,
      user_id: actor.userId,
      device_id: actor.deviceId,
      event_id: event.eventId,
      table_name: event.table,
      record_id: event.recordId,
      op: event.op,
      version: after.version,
      before: before ? JSON.stringify(before.values) : null,
      after: after.deleted ? null : JSON.stringify(after.values),
    })
    .execute();
  return seq;
}

/**
 * Takes the next sequence number of an organization. The counter row is
 * created with the organization (its first change), so a missing row means
 * this very transaction is creating the organization.
 */
async function allocateSeq(trx: Transaction<ServerDb>, organizationId: string): Promise<number> {
  const next = await trx
    .updateTable('org_seq')
    .set({ last_seq: sql`last_seq + 1` })
    .where('organization_id', '=', organizationId)
    .returning('last_seq')
    .executeTakeFirst();
  if (next) return Number(next.last_seq);
  await trx.insertInto('org_seq').values({ organization_id: organizationId, last_seq: 1 }).execute();
  return 1;
}
