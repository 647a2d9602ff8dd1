/**
 * The hardened bootstrap (PROTOCOL §3 "Bootstrap"): one push creates an
 * organization, makes its creator admin and adds its first rows, before any
 * membership exists to check.
 *
 * Before processing, the batch is scanned for `members` INSERTs that make the
 * actor an admin. Their organizations are candidates only when the same batch
 * also INSERTs that organization. A candidate skips the membership check
 * only for its own `organizations` INSERT while no such row exists, and, once
 * this request's transaction has actually inserted it, for the rest of the
 * batch. An existing organization (even a tombstone) is never a bootstrap:
 * its INSERT meets the stored row, and a concurrent creator loses the insert
 * race, so nobody can make themselves admin of an organization they did not
 * create in this very request.
 */
import type { Actor, ScopedEvent, StoredRow } from './event-types.ts';
import { validateEvent } from './validate-event.ts';

export type Bootstrap = {
  /** Whether `event` may skip the membership check (PROTOCOL §3). */
  skipsMembership(event: ScopedEvent, stored: StoredRow | undefined): boolean;
  /** Notes that this request's transaction inserted organization `organizationId`. */
  markCreated(organizationId: string): void;
};

/** Scans a batch for bootstrap candidates; pure apart from the request-local set of created organizations. */
export function scanBootstrap(rawEvents: readonly unknown[], actor: Actor): Bootstrap {
  const adminOf = new Set<string>();
  const inserted = new Set<string>();
  for (const raw of rawEvents) {
    if (!looksLikeInsertInto(raw, 'members') && !looksLikeInsertInto(raw, 'organizations')) continue;
    const validation = validateEvent(raw);
    if (validation.kind !== 'valid') continue;
    const { event } = validation;
    if (event.table === 'organizations') inserted.add(event.recordId);
    else if (event.data.user_id === actor.userId && event.data.role === 'admin' && typeof event.data.organization_id === 'string') {
      adminOf.add(event.data.organization_id);
    }
  }
  const candidates = new Set([...adminOf].filter((id) => inserted.has(id)));
  const created = new Set<string>();
  return {
    skipsMembership: (event, stored) => {
      if (created.has(event.organizationId)) return true;
      return event.table === 'organizations' && event.op === 'INSERT' && stored === undefined && candidates.has(event.recordId);
    },
    markCreated: (organizationId) => {
      if (candidates.has(organizationId)) created.add(organizationId);
    },
  };
}

function looksLikeInsertInto(raw: unknown, table: string): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const event = raw as Record<string, unknown>;
  return event.table === table && event.op === 'INSERT';
}
