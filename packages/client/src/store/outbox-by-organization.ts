/**
 * The device's outbox split by organization (PROTOCOL §6, 2026-12), so an
 * organization's admins see only that organization's share of a person's
 * queue. Events are attributed through their record's organization in the
 * local store; conflicts and dead letters carry theirs. An event whose
 * record is no longer held here (its organization was purged) counts only in
 * the totals.
 */
import { MAX_OUTBOX_ORGANIZATIONS, TABLE_NAMES, type OrganizationOutbox } from '@clinicsync/protocol';
import { quoteIdent } from './local-columns.ts';
import type { StoreContext } from './store-context.ts';

type Figures = { pending: number; oldestPendingAt: string | null; openConflicts: number; deadLetters: number };

/** One entry per organization with anything to report, most pending first, at most MAX_OUTBOX_ORGANIZATIONS. */
export function outboxByOrganization(ctx: StoreContext): OrganizationOutbox[] {
  const figures = new Map<string, Figures>();
  const of = (org: unknown): Figures => {
    const id = String(org);
    if (!figures.has(id)) figures.set(id, { pending: 0, oldestPendingAt: null, openConflicts: 0, deadLetters: 0 });
    return figures.get(id)!;
  };
  for (const table of TABLE_NAMES) {
    const rows = ctx.db.all(
      `SELECT t._organization_id AS org, count(*) AS n, min(o.created_at) AS oldest FROM _outbox o JOIN ${quoteIdent(table)} t ON t.id = o.record_id
       WHERE o.table_name = ? AND t._organization_id IS NOT NULL GROUP BY t._organization_id`,
      [table],
    );
    for (const row of rows) {
      const entry = of(row.org);
      entry.pending += Number(row.n);
      const oldest = row.oldest === null ? null : String(row.oldest);
      if (oldest !== null && (entry.oldestPendingAt === null || oldest < entry.oldestPendingAt))
        entry.oldestPendingAt = oldest;
    }
  }
  // A resolved conflict waiting to be sent is no longer open (as in the totals).
  for (const row of ctx.db.all(
    'SELECT organization_id AS org, count(*) AS n FROM _conflicts WHERE resolution IS NULL AND organization_id IS NOT NULL GROUP BY organization_id',
  )) {
    of(row.org).openConflicts += Number(row.n);
  }
  for (const row of ctx.db.all(
    'SELECT organization_id AS org, count(*) AS n FROM _dead_letters WHERE organization_id IS NOT NULL GROUP BY organization_id',
  )) {
    of(row.org).deadLetters += Number(row.n);
  }
  return [...figures.entries()]
    .map(([organizationId, f]) => ({ organizationId: organizationId as OrganizationOutbox['organizationId'], ...f }))
    .sort((a, b) => b.pending - a.pending || a.organizationId.localeCompare(b.organizationId))
    .slice(0, MAX_OUTBOX_ORGANIZATIONS);
}
