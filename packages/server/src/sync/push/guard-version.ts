/**
 * A step of the push pipeline (run-push.ts owns the order): the version guard with field-level merge
 * (PROTOCOL §3 "Version guard"). Pure.
 *
 * A stale UPDATE (baseVersion below the stored version) is still written when
 * the table's policy lets every one of its fields merge and none of them
 * changed on the server since baseVersion: the edits touch disjoint fields,
 * so applying it loses nothing anybody was told was saved. Anything else that
 * is stale is a conflict, and a conflict writes nothing.
 */
import { assert, isStrictField, type TableSpec, type Version } from '@clinicsync/protocol';
import type { FieldName, ScopedEvent, StoredRow } from './event-types.ts';

export type GuardDecision =
  | { readonly kind: 'write' } // baseVersion matches
  | { readonly kind: 'merge'; readonly fields: readonly FieldName[] } // stale, but its fields unchanged and none strict
  | { readonly kind: 'conflict'; readonly serverVersion: Version; readonly fields: readonly FieldName[] };

/**
 * Decides whether an event may be written over the stored row. A conflict's
 * `fields` are the event's fields changed on the server since baseVersion;
 * when none changed and the event is refused by policy, its strict fields.
 */
export function guardVersion(event: ScopedEvent, stored: StoredRow | undefined, spec: TableSpec): GuardDecision {
  if (event.op === 'INSERT') {
    // The id is taken: the client learns the server's row instead of overwriting it.
    return stored === undefined ? { kind: 'write' } : { kind: 'conflict', serverVersion: stored.version, fields: [] };
  }
  assert(stored !== undefined && !stored.deleted, 'guardVersion needs a live stored row for UPDATE and DELETE');
  if (event.baseVersion === stored.version) return { kind: 'write' };

  const changedSince = (field: FieldName) => fieldVersion(stored, field) > event.baseVersion;
  if (event.op === 'DELETE') {
    // A stale delete would discard edits its author never saw.
    return { kind: 'conflict', serverVersion: stored.version, fields: Object.keys(stored.values).filter(changedSince) };
  }

  const fields = Object.keys(event.data);
  const changed = fields.filter(changedSince);
  const strict = fields.filter((field) => isStrictField(spec, field));
  if (event.baseVersion < stored.version && changed.length === 0 && strict.length === 0)
    return { kind: 'merge', fields };
  // A baseVersion from the future is not a version this server ever gave out.
  const clashing = changed.length > 0 ? changed : event.baseVersion > stored.version ? fields : strict;
  return { kind: 'conflict', serverVersion: stored.version, fields: clashing };
}

/** The version at which `field` last changed; fields never changed since INSERT are at version 1. */
export function fieldVersion(stored: StoredRow, field: FieldName): number {
  return stored.fieldVersions[field] ?? 1;
}
