/**
 * Reads the live rows behind FHIR resources (PROTOCOL §8), always inside one
 * organization resolved the way push resolves it: the registry's scope rule
 * walked up to `organization_id` (an appointment through its team, a vital
 * through its patient). Tombstones are never read, nor the entries of a
 * deleted patient. Pages walk the primary key (`id > after`), so paging is
 * stable while rows change and no query loads more than `limit` rows.
 */
import { SCOPE_CHAINS, type TableName } from '@clinicsync/protocol';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { ServerDb } from '../db/schema.ts';

/** A stored row as the database returns it (registry columns plus the system columns). */
export type StoredFhirRow = Readonly<Record<string, unknown>> & {
  readonly id: string;
  readonly version: number;
  readonly updated_at: string;
};

/** An `updated_at` bound: `[from, to)` in ISO-8601 UTC. */
export type UpdatedRange = { readonly from?: string; readonly to?: string };

export type RowQuery = {
  readonly organizationId: string;
  readonly id?: string;
  /** Rows of one patient (the patient itself for `patients`). */
  readonly patientId?: string;
  readonly updated?: readonly UpdatedRange[];
  /** Rows whose id sorts after this one (the next page). */
  readonly afterId?: string;
  readonly limit: number;
};

// The tables are chosen at run time from a fixed list, so the typed builder is
// loosened here, in the one module that owns these queries.
type AnyDb = Kysely<any>;
type AnyQuery = SelectQueryBuilder<any, any, any>;

/** Joins `query` (rows aliased `r`) up the scope chain of `table` and keeps rows of `organizationId`. */
function inOrganization(query: AnyQuery, table: TableName, organizationId: string): AnyQuery {
  const chain = SCOPE_CHAINS[table];
  let alias = 'r';
  for (const [depth, link] of chain.entries()) {
    if (link.parent === 'organizations') break;
    const parentAlias = `s${depth}`;
    query = query
      .innerJoin(`${link.parent} as ${parentAlias}`, `${parentAlias}.id`, `${alias}.${link.column}`)
      .where(`${parentAlias}.deleted`, '=', 0);
    alias = parentAlias;
  }
  // The last link's column holds the organization's id; an organization is its own.
  const orgColumn = chain.at(-1)?.column ?? 'id';
  return query.where(`${alias}.${orgColumn}`, '=', organizationId);
}

/** The live rows of `table` in the organization that match `q`'s filters (no order, no limit). */
function matching(query: AnyQuery, table: TableName, q: Omit<RowQuery, 'limit' | 'afterId'>): AnyQuery {
  query = inOrganization(query, table, q.organizationId).where('r.deleted', '=', 0);
  // Appointments reach their organization through the team; their patient must be live too.
  if (table === 'appointments')
    query = query.innerJoin('patients as pt', 'pt.id', 'r.patient_id').where('pt.deleted', '=', 0);
  if (q.id !== undefined) query = query.where('r.id', '=', q.id);
  if (q.patientId !== undefined) query = query.where(table === 'patients' ? 'r.id' : 'r.patient_id', '=', q.patientId);
  for (const range of q.updated ?? []) {
    if (range.from !== undefined) query = query.where('r.updated_at', '>=', range.from);
    if (range.to !== undefined) query = query.where('r.updated_at', '<', range.to);
  }
  return query;
}

/** Live rows of `table` matching `q`, ordered by id. */
export async function readFhirRows(db: Kysely<ServerDb>, table: TableName, q: RowQuery): Promise<StoredFhirRow[]> {
  let query = matching((db as AnyDb).selectFrom(`${table} as r`).selectAll('r'), table, q);
  if (q.afterId !== undefined) query = query.where('r.id', '>', q.afterId);
  const rows = await query.orderBy('r.id').limit(q.limit).execute();
  return rows.map((row) => ({ ...row, version: Number(row.version) }) as StoredFhirRow);
}

/** How many live rows of `table` match `q` (a search Bundle's `total`). */
export async function countFhirRows(
  db: Kysely<ServerDb>,
  table: TableName,
  q: Omit<RowQuery, 'limit' | 'afterId'>,
): Promise<number> {
  const row = await matching(
    (db as AnyDb).selectFrom(`${table} as r`).select((eb) => eb.fn.countAll().as('n')),
    table,
    q,
  ).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Whether a row of `table` with this id ever existed in the organization and is now deleted (read answers 410, not 404). */
export async function isDeletedRow(
  db: Kysely<ServerDb>,
  table: TableName,
  organizationId: string,
  id: string,
): Promise<boolean> {
  const row = await inOrganization((db as AnyDb).selectFrom(`${table} as r`).select('r.deleted'), table, organizationId)
    .where('r.id', '=', id)
    .executeTakeFirst();
  return row !== undefined && Number(row.deleted) !== 0;
}
