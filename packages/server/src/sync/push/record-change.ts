/**
 * A step of the push pipeline (run-push.ts owns the order): records the batch's applied changes for pull
 * and for the audit trail (PROTOCOL §3, §4, §6), each under its own
 * per-organization sequence number.
 *
 * Changes are collected while the batch runs and written when it ends:
 * for each organization, one `update org_seq … returning` reserves a
 * contiguous range of sequence numbers (handed out in event order), then the
 * change-log and audit rows go in as multi-row statements. The counter row
 * stays locked from that update until the transaction commits, so within an
 * organization commit order still equals sequence order, and a pull that has
 * read up to seq N can never later miss a change with a lower seq that
 * committed late (docs/architecture.md §6 "Change log"). Organizations are reserved in sorted
 * order, so two batches touching the same organizations take their locks in
 * the same order.
 *
 * The change log keeps ONE row per record, its latest change: an upsert on
 * (table, record) replaces the old row, so a record changed ten times is
 * pulled once. It holds no copy of the row: pull reads the record itself in
 * the same snapshot (sync/pull/read-changes.ts). The audit row keeps only
 * what changed: for an UPDATE the changed fields before and after, for an
 * INSERT the new values, for a DELETE the values that were deleted.
 */
import type { Insertable, Transaction } from 'kysely';
import type { AuditLogTable, ChangeLogTable, ServerDb } from '../../db/schema.ts';
import type { Actor, ScopedEvent, StoredRow } from './event-types.ts';
import { insertRows, type RowWriter } from './insert-rows.ts';

export type ChangeRecord = {
  readonly event: ScopedEvent;
  readonly before: StoredRow | undefined;
  readonly after: StoredRow;
  readonly actor: Actor;
  readonly now: string;
};

export type ChangeRecorder = {
  /** Notes an applied change; it is written with the rest of the batch's changes by `flush`. */
  record(change: ChangeRecord): void;
  /** Allocates the sequence numbers and writes the change-log and audit rows of every recorded change. */
  flush(): Promise<void>;
};

/** A batch-local collector of the applied changes of the batch running in `trx`. */
export function createChangeRecorder(trx: Transaction<ServerDb>, caps: RowWriter): ChangeRecorder {
  const byOrganization = new Map<string, ChangeRecord[]>();
  return {
    record(change) {
      const organizationId = change.event.organizationId;
      if (!byOrganization.has(organizationId)) byOrganization.set(organizationId, []);
      byOrganization.get(organizationId)!.push(change);
    },

    async flush() {
      const changeLog = new Map<string, Insertable<ChangeLogTable>>();
      const audit: Insertable<AuditLogTable>[] = [];
      for (const organizationId of [...byOrganization.keys()].sort()) {
        const changes = byOrganization.get(organizationId)!;
        const first = await reserveSeqs(trx, organizationId, changes.length);
        changes.forEach((change, index) => {
          const seq = first + index;
          // Later changes of the same record replace earlier ones: the log holds the latest.
          changeLog.set(`${change.event.table}\u0000${change.event.recordId}`, changeLogRow(change, seq));
          audit.push(auditRow(change, seq));
        });
      }
      byOrganization.clear();
      // Replaces each record's change-log row (one per record, at most once per statement).
      await insertRows(trx, caps, 'change_log', [...changeLog.values()], CHANGE_LOG_UPSERT);
      await insertRows(trx, caps, 'audit_log', audit);
    },
  };
}

/** The change log keeps one row per record: a newer change of it takes the old row's place. */
const CHANGE_LOG_UPSERT = {
  conflict: ['table_name', 'record_id'],
  update: ['organization_id', 'seq', 'version', 'op'],
} as const;

/**
 * Reserves `count` sequence numbers of an organization and returns the first.
 * The counter row is created with the organization (its first change), so a
 * missing row means this very transaction is creating the organization.
 */
async function reserveSeqs(trx: Transaction<ServerDb>, organizationId: string, count: number): Promise<number> {
  const next = await trx
    .updateTable('org_seq')
    .set((eb) => ({ last_seq: eb('last_seq', '+', count) }))
    .where('organization_id', '=', organizationId)
    .returning('last_seq')
    .executeTakeFirst();
  if (next) return Number(next.last_seq) - count + 1;
  await trx.insertInto('org_seq').values({ organization_id: organizationId, last_seq: count }).execute();
  return 1;
}

function changeLogRow({ event, after }: ChangeRecord, seq: number): Insertable<ChangeLogTable> {
  return {
    organization_id: event.organizationId,
    seq,
    table_name: event.table,
    record_id: event.recordId,
    version: after.version,
    op: after.deleted ? 'DELETE' : 'UPSERT',
  };
}

function auditRow({ event, before, after, actor, now }: ChangeRecord, seq: number): Insertable<AuditLogTable> {
  return {
    organization_id: event.organizationId,
    seq,
    at: now,
    user_id: actor.userId,
    // Changes written outside a push (an accepted invitation) may not know the device.
    device_id: actor.deviceId === '' ? null : actor.deviceId,
    event_id: event.eventId,
    table_name: event.table,
    record_id: event.recordId,
    op: event.op,
    version: after.version,
    ...auditValues(before, after),
  };
}

/** The audit's before/after: on an UPDATE only the fields whose value changed, otherwise the whole side that exists. */
function auditValues(before: StoredRow | undefined, after: StoredRow): { before: string | null; after: string | null } {
  if (after.deleted) return { before: before ? JSON.stringify(before.values) : null, after: null };
  if (!before || before.deleted) return { before: null, after: JSON.stringify(after.values) };
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(after.values)) {
    const previous = before.values[field] ?? null;
    if (JSON.stringify(previous) === JSON.stringify(value ?? null)) continue;
    was[field] = previous;
    now[field] = value ?? null;
  }
  return { before: JSON.stringify(was), after: JSON.stringify(now) };
}
