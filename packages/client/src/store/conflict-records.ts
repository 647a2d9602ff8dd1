/**
 * Filing into the conflict inbox (`_conflicts`) and the dead letters
 * (`_dead_letters`): where refused edits go so the user can see and act on
 * them (docs/architecture.md, principle 3). Reading and resolving them is in conflict-inbox.ts.
 */
import type { Op, TableName } from '@clinicsync/protocol';
import { conflictingFields } from './conflict-fields.ts';
import type { Row } from './local-columns.ts';
import type { StoreContext } from './store-context.ts';

export type RefusedEvent = {
  readonly eventId: string;
  readonly table: TableName;
  readonly recordId: string;
  readonly op: Op;
  readonly data: Readonly<Record<string, unknown>> | null;
  /** Where the event stood in the outbox (absent for events that never were there). */
  readonly seq?: number;
};

export function fileConflict(
  ctx: StoreContext,
  event: RefusedEvent,
  conflict: {
    readonly organizationId: string | null;
    readonly local: Row | null;
    readonly server: Row | null;
    readonly fields: readonly string[];
    readonly serverVersion: number;
  },
): void {
  const conflicting = conflictingFields({
    table: event.table,
    op: event.op,
    changes: event.data,
    local: conflict.local,
    server: conflict.server,
    serverFields: conflict.fields,
  });
  ctx.db.run(
    `INSERT INTO _conflicts (id, table_name, record_id, event_id, op, organization_id, changes, local, server, fields, server_version, created_at, outbox_seq, conflicting)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      ctx.ids.newId(),
      event.table,
      event.recordId,
      event.eventId,
      event.op,
      conflict.organizationId,
      event.data === null ? null : JSON.stringify(event.data),
      conflict.local === null ? null : JSON.stringify(conflict.local),
      conflict.server === null ? null : JSON.stringify(conflict.server),
      JSON.stringify(conflict.fields),
      conflict.serverVersion,
      ctx.clock.now().toISOString(),
      event.seq ?? null,
      JSON.stringify(conflicting),
    ],
  );
}

export function fileDeadLetter(
  ctx: StoreContext,
  event: RefusedEvent,
  refusal: {
    readonly organizationId: string | null;
    readonly code: string;
    readonly message: string;
    readonly record?: Readonly<Record<string, unknown>> | null;
  },
): void {
  ctx.db.run(
    `INSERT INTO _dead_letters (id, table_name, record_id, event_id, op, organization_id, data, code, message, created_at, record)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      ctx.ids.newId(),
      event.table,
      event.recordId,
      event.eventId,
      event.op,
      refusal.organizationId,
      event.data === null ? null : JSON.stringify(event.data),
      refusal.code,
      refusal.message,
      ctx.clock.now().toISOString(),
      refusal.record ? JSON.stringify(refusal.record) : null,
    ],
  );
}
