/**
 * Which organization each part of a device's outbox report belongs to
 * (PROTOCOL §6, 2026-12), so `GET /v1/orgs/:orgId/devices` shows an
 * organization's admins that organization's share only. Pure.
 *
 * - A report with the split (`organizations`): each of the person's
 *   organizations gets its entry, or zeros when the device listed it not
 *   (a device lists every organization it has work for). Entries for
 *   organizations the person does not belong to are dropped.
 * - A v1 report (totals only): attributed to the person's organization when
 *   they belong to exactly one, since then the totals are that
 *   organization's; otherwise to none, and every organization shows the
 *   device's figures as unknown (null) rather than another organization's work.
 */
import type { OrganizationOutbox, OutboxReport } from '@clinicsync/protocol';

export type AttributedOutbox = {
  readonly organizationId: string;
  readonly pending: number;
  readonly oldestPendingAt: string | null;
  readonly openConflicts: number | null;
  readonly deadLetters: number | null;
};

/** The per-organization figures to store for `memberships` (the person's organizations now). */
export function attributeOutbox(outbox: OutboxReport, memberships: readonly string[]): AttributedOutbox[] {
  if (outbox.organizations) {
    const reported = new Map<string, OrganizationOutbox>(
      outbox.organizations.map((entry) => [entry.organizationId, entry]),
    );
    return memberships.map((organizationId) => {
      const entry = reported.get(organizationId);
      return {
        organizationId,
        pending: entry?.pending ?? 0,
        oldestPendingAt: entry?.oldestPendingAt ?? null,
        openConflicts: entry?.openConflicts ?? (entry ? null : 0),
        deadLetters: entry?.deadLetters ?? (entry ? null : 0),
      };
    });
  }
  if (memberships.length !== 1) return [];
  return [
    {
      organizationId: memberships[0]!,
      pending: outbox.pending,
      oldestPendingAt: outbox.oldestPendingAt ?? null,
      openConflicts: outbox.openConflicts ?? null,
      deadLetters: outbox.deadLetters ?? null,
    },
  ];
}
