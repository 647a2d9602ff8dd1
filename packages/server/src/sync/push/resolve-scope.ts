/**
 * A step of the push pipeline (run-push.ts owns the order): the organization an event belongs to, always
 * from the server's database (PROTOCOL §2 "scope", §3). For a stored row it
 * is the STORED row's organization, whatever the payload says; for an INSERT
 * it is the organization of the referenced parent, which must exist and be
 * live (in the database, or applied earlier in the same batch: the batch's
 * transaction sees its own writes). Rows are read through the batch's
 * `RowSource`, which holds the database's rows and the batch's own writes.
 */
import { SCOPE_CHAINS, scopeLink, tableSpec, type TableName } from '@clinicsync/protocol';
import type { RowSource } from './batch-rows.ts';
import { reject, type Rejection, type StoredRow, type ValidEvent } from './event-types.ts';

export type Scope = { readonly kind: 'scoped'; readonly organizationId: string };

/** Resolves the event's organization; `not_found` when the record (UPDATE/DELETE) or its parent (INSERT) is missing. */
export async function resolveScope(
  rows: RowSource,
  input: { readonly event: ValidEvent; readonly stored: StoredRow | undefined },
): Promise<Scope | Rejection> {
  const { event, stored } = input;
  const spec = event.spec;
  if (stored) {
    // Also for an INSERT of an id that is taken: the row's owner decides what the caller may learn.
    const organizationId = await organizationOfRow(rows, event.table, stored);
    return organizationId
      ? { kind: 'scoped', organizationId }
      : reject('not_found', `There is no ${spec.label} with this id.`);
  }
  if (event.op !== 'INSERT') return reject('not_found', `There is no ${spec.label} with this id.`);

  const link = scopeLink(event.table);
  // A new organization is its own scope; who may create it is the bootstrap's question.
  if (!link) return { kind: 'scoped', organizationId: event.recordId };
  const organizationId = await resolveReference(rows, link.parent, event.data[link.column]);
  if (!organizationId)
    return reject('not_found', `The ${tableSpec(link.parent).label} this ${spec.label} belongs to does not exist.`);
  return { kind: 'scoped', organizationId };
}

/**
 * The organization of a live row of `table` with id `id`, inside a live
 * organization; undefined when either is missing or a tombstone (a deleted
 * parent counts as missing for new rows).
 */
export async function resolveReference(rows: RowSource, table: TableName, id: unknown): Promise<string | undefined> {
  if (typeof id !== 'string') return undefined;
  const row = await rows.get(table, id);
  if (!row || row.deleted) return undefined;
  const organizationId = await organizationOfRow(rows, table, row);
  if (!organizationId) return undefined;
  if (table === 'organizations') return organizationId;
  const organization = await rows.get('organizations', organizationId);
  return organization && !organization.deleted ? organizationId : undefined;
}

/** The organization a stored row belongs to, following the scope chain through parents. */
export async function organizationOfRow(
  rows: RowSource,
  table: TableName,
  row: StoredRow,
): Promise<string | undefined> {
  let current = row;
  for (const link of SCOPE_CHAINS[table]) {
    const parentId = current.values[link.column];
    if (typeof parentId !== 'string') return undefined;
    if (link.parent === 'organizations') return parentId;
    // A stored row keeps its organization even when its parent became a tombstone.
    const parent = await rows.get(link.parent, parentId);
    if (!parent) return undefined;
    current = parent;
  }
  return current.id;
}
