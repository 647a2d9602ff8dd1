/**
 * A step of the push pipeline (run-push.ts owns the order): writes an event the version guard let through.
 * Every write is conditional on what the guard saw: an UPDATE or DELETE only
 * touches the row `where version = <stored version>`, so a concurrent writer
 * on another connection (PostgreSQL) makes this a `lost_race` instead of an
 * overwrite; the caller re-reads and decides again. An INSERT is buffered by
 * the batch's rows and written at the end of the batch; an id that appeared
 * meanwhile makes that INSERT fail and the whole batch run again (see
 * batch-rows.ts). Deletes are tombstones.
 */
import { versionSchema } from '@clinicsync/protocol';
import type { BatchRows } from './batch-rows.ts';
import { omittedValue, toSqlValues } from './stored-row.ts';
import type { Actor, FieldName, ScopedEvent, StoredRow } from './event-types.ts';

export type Applied =
  | { readonly kind: 'applied'; readonly before: StoredRow | undefined; readonly after: StoredRow }
  | { readonly kind: 'lost_race' };

/** Applies a `write` or `merge` decision; returns the row before and after, or `lost_race`. */
export async function applyEvent(
  rows: BatchRows,
  input: {
    readonly event: ScopedEvent;
    readonly stored: StoredRow | undefined;
    readonly actor: Actor;
    readonly now: string;
  },
): Promise<Applied> {
  const { event, stored, actor, now } = input;
  // Column names come from the registry; the payload only supplies values.
  const columns = Object.keys(event.spec.columns);
  const written = columns.filter((column) => Object.hasOwn(event.data, column));

  if (event.op === 'INSERT') {
    const values = Object.fromEntries(
      columns.map((column) => [column, event.data[column] ?? omittedValue(event.spec, column)]),
    );
    const after: StoredRow = {
      id: event.recordId,
      version: versionSchema.parse(1),
      updatedAt: now,
      updatedBy: actor.userId,
      deleted: false,
      fieldVersions: {},
      values,
    };
    rows.insert(event.table, after);
    return { kind: 'applied', before: undefined, after };
  }

  if (!stored) return { kind: 'lost_race' };
  const version = versionSchema.parse(stored.version + 1);
  const base = { version, updated_at: now, updated_by: actor.userId };
  let after: StoredRow;
  let changes: Record<string, unknown>;
  if (event.op === 'DELETE') {
    // A tombstone keeps its last values so pull and the audit trail can still say what was deleted.
    after = { ...stored, version, updatedAt: now, updatedBy: actor.userId, deleted: true };
    changes = { ...base, deleted: 1 };
  } else {
    const fieldVersions: Record<FieldName, number> = { ...stored.fieldVersions };
    for (const column of written) fieldVersions[column] = version;
    const values = {
      ...stored.values,
      ...Object.fromEntries(written.map((column) => [column, event.data[column] ?? null])),
    };
    after = { ...stored, version, updatedAt: now, updatedBy: actor.userId, fieldVersions, values };
    changes = {
      ...base,
      field_versions: JSON.stringify(fieldVersions),
      ...toSqlValues(event.spec, Object.fromEntries(written.map((column) => [column, values[column]]))),
    };
  }
  const updated = await rows.update(event.table, { expectedVersion: stored.version, changes, after });
  return updated ? { kind: 'applied', before: stored, after } : { kind: 'lost_race' };
}
