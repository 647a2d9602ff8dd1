/**
 * What a conflict resolution sends (docs/conflict-resolution.md). Pure: it
 * decides from the conflict alone — the refused change, the server's row at
 * the conflict's `serverVersion` and the fields in conflict — never from the
 * local row, which may already hold later queued edits of the same record.
 *
 * - keep mine: the refused change, every field of it (the conflicting ones
 *   take this device's side, the others were never in question);
 * - take theirs: the refused change without its conflicting fields (the
 *   server's non-conflicting changes and this device's both survive);
 * - merge: the refused change without its conflicting fields, plus the
 *   values the person chose.
 * Only values that differ from the server's row are sent; the event is based
 * on `serverVersion`, the version the person saw.
 */
import { assertNever, tableSpec, type TableName } from '@clinicsync/protocol';
import { LocalValidationError, NotFoundError } from '../errors.ts';
import type { Conflict, ConflictResolution } from './conflict-inbox.ts';
import { sameValue } from './conflict-fields.ts';
import { dataColumns } from './local-columns.ts';

export type ResolutionPlan =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'update'; readonly data: Readonly<Record<string, unknown>> }
  | { readonly kind: 'delete' }
  /** The server does not have the record at all: send it as new. */
  | { readonly kind: 'insert'; readonly data: Readonly<Record<string, unknown>> };

/** `validate` checks merge data as the write path would (throws LocalValidationError). */
export function planResolution(
  conflict: Conflict,
  resolution: ConflictResolution,
  validate: (mode: 'insert' | 'update', data: Readonly<Record<string, unknown>>) => Record<string, unknown>,
): ResolutionPlan {
  const { server } = conflict;
  const mine = mySide(conflict);
  const conflicting = new Set(conflict.conflictingFields);
  const unquestioned = Object.fromEntries(
    Object.entries(conflict.op === 'UPDATE' ? mine : {}).filter(([f]) => !conflicting.has(f)),
  );

  switch (resolution.kind) {
    case 'take_theirs':
      if (server === null || server.deleted) return { kind: 'nothing' };
      return update(conflict, unquestioned);
    case 'keep_mine':
      if (conflict.op === 'DELETE') return server === null || server.deleted ? { kind: 'nothing' } : { kind: 'delete' };
      if (server === null) return { kind: 'insert', data: validate('insert', wholeRow(conflict)) };
      if (server.deleted) throw new NotFoundError('record', conflict.recordId);
      return update(conflict, mine);
    case 'merge': {
      const chosen = Object.keys(resolution.data).length === 0 ? {} : validate('update', resolution.data);
      if (server === null) return { kind: 'insert', data: validate('insert', { ...wholeRow(conflict), ...chosen }) };
      if (server.deleted) throw new NotFoundError('record', conflict.recordId);
      return update(conflict, { ...unquestioned, ...chosen });
    }
    default:
      return assertNever(resolution);
  }
}

/** The fields this device wrote: the refused UPDATE's changes, or the whole local row of a refused INSERT. */
function mySide(conflict: Conflict): Record<string, unknown> {
  switch (conflict.op) {
    case 'UPDATE':
      return { ...(conflict.changes ?? {}) };
    case 'INSERT':
      return wholeRow(conflict);
    case 'DELETE':
      return {};
    default:
      return assertNever(conflict.op);
  }
}

function wholeRow(conflict: Conflict): Record<string, unknown> {
  const local = conflict.local ?? conflict.changes ?? {};
  return Object.fromEntries(
    dataColumns(conflict.table)
      .filter(([c]) => local[c] !== undefined && local[c] !== null)
      .map(([c]) => [c, local[c]]),
  );
}

/** An UPDATE of the values that differ from the server's row; an immutable field may not differ. */
function update(conflict: Conflict, data: Readonly<Record<string, unknown>>): ResolutionPlan {
  const server = conflict.server ?? {};
  const changed = Object.fromEntries(Object.entries(data).filter(([f, v]) => !sameValue(v, server[f])));
  const immutable = Object.keys(changed).filter((f) => tableSpec(conflict.table as TableName).immutable.includes(f));
  if (immutable.length > 0) {
    throw new LocalValidationError(
      'A field that cannot change after creation differs from the server.',
      immutable.map((path) => ({ path, code: 'immutable_field' })),
    );
  }
  return Object.keys(changed).length === 0 ? { kind: 'nothing' } : { kind: 'update', data: changed };
}
