/**
 * One page of an organization's audit trail (PROTOCOL §6
 * `GET /v1/orgs/:orgId/audit`): one entry per applied change, newest first,
 * with optional filters that all apply together. Paged by the per-organization
 * sequence number, so a page boundary never skips or repeats an entry even
 * while new changes are being written (they get higher numbers, above the
 * first page).
 */
import type { AuditEntry, AuditQuery, OrganizationId } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.ts';

export type AuditPage = { readonly entries: AuditEntry[]; readonly nextCursor: string | null };

/**
 * Reads the page after `query.cursor`. `since` is inclusive and `until`
 * exclusive (`since ≤ at < until`), so consecutive windows never share an
 * entry. Throws `400 invalid_request` for a bad cursor.
 */
export async function readAudit(
  db: Kysely<ServerDb>,
  organizationId: OrganizationId,
  query: AuditQuery,
): Promise<AuditPage> {
  // organization_id first: it leads every audit index and is the shard key.
  let select = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .where('audit_log.organization_id', '=', organizationId);

  if (query.cursor !== undefined)
    select = select.where('audit_log.seq', '<', decodeAuditCursor(query.cursor, organizationId));
  if (query.table !== undefined) select = select.where('audit_log.table_name', '=', query.table);
  if (query.recordId !== undefined) select = select.where('audit_log.record_id', '=', query.recordId);
  if (query.userId !== undefined) select = select.where('audit_log.user_id', '=', query.userId);
  if (query.deviceId !== undefined) select = select.where('audit_log.device_id', '=', query.deviceId);
  if (query.since !== undefined) select = select.where('audit_log.at', '>=', toStoredTime(query.since));
  if (query.until !== undefined) select = select.where('audit_log.at', '<', toStoredTime(query.until));

  // One row more than asked tells whether another page exists without a count.
  const rows = await select
    .select([
      'audit_log.seq',
      'audit_log.at',
      'audit_log.user_id',
      'users.name as user_name',
      'audit_log.device_id',
      'audit_log.table_name',
      'audit_log.record_id',
      'audit_log.op',
      'audit_log.version',
      'audit_log.before',
      'audit_log.after',
    ])
    .orderBy('audit_log.seq', 'desc')
    .limit(query.limit + 1)
    .execute();

  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    entries: page.map((row) => ({
      at: row.at,
      userId: row.user_id,
      userName: row.user_name,
      deviceId: row.device_id,
      table: row.table_name,
      recordId: row.record_id,
      op: row.op,
      version: row.version,
      before: parseDocument(row.before),
      after: parseDocument(row.after),
    })),
    nextCursor: rows.length > query.limit && last ? encodeAuditCursor(organizationId, last.seq) : null,
  };
}

// Stored times are `toISOString()` text (UTC, milliseconds, `Z`), which sorts
// as text; a query time with an offset is brought to the same form first.
function toStoredTime(at: string): string {
  return new Date(Date.parse(at)).toISOString();
}

function parseDocument(text: string | null): Record<string, unknown> | null {
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}
