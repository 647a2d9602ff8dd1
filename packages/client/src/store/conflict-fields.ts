/**
 * Which fields of a conflict are really in conflict (PROTOCOL §3 "Version
 * guard"), so the app can show them before anyone chooses, and so "keep
 * mine" and "take theirs" act on those fields only. Pure.
 */
import type { Op, TableName } from '@clinicsync/protocol';
import { dataColumns } from './local-columns.ts';

/** Null and absent are the same value for a field. */
export function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

/**
 * The fields in conflict:
 * - UPDATE: the fields the refused edit wrote that the server reported as
 *   changed there (or as strict), where the two values differ;
 * - INSERT (the id already exists on the server): every field whose value differs;
 * - DELETE: the fields the server changed since the deleted version (the
 *   edits the deletion would discard).
 * A server that does not have the record conflicts on nothing.
 */
export function conflictingFields(input: {
  readonly table: TableName;
  readonly op: Op;
  readonly changes: Readonly<Record<string, unknown>> | null;
  readonly local: Readonly<Record<string, unknown>> | null;
  readonly server: Readonly<Record<string, unknown>> | null;
  readonly serverFields: readonly string[];
}): string[] {
  const { table, op, changes, local, server, serverFields } = input;
  if (server === null) return [];
  const columns = dataColumns(table).map(([c]) => c);
  switch (op) {
    case 'UPDATE': {
      const written = changes ?? {};
      return serverFields.filter((f) => Object.hasOwn(written, f) && !sameValue(written[f], server[f]));
    }
    case 'INSERT': {
      const mine = local ?? changes ?? {};
      return columns.filter((f) => !sameValue(mine[f], server[f]));
    }
    case 'DELETE':
      return serverFields.filter((f) => columns.includes(f));
  }
}
