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
 *
 * (2026-12) A new organization counts only if its creator's admin row is
 * applied. The scan reads admin rows as sent, valid or not: an invalid one
 * (an unknown field, a malformed team) still makes its organization a
 * candidate, which is then created without an applied admin row. The batch notes which organizations it created and which got
 * their creator's admin row; `incomplete()` names those created without one,
 * and the push runs again with them `doomed` (see doomed-events.ts): every
 * event of such an organization is then `bootstrap_incomplete`. So is every
 * other event of an organization whose own INSERT is refused (that INSERT
 * keeps its own reason): its admin row is then refused too.
 *
 * A creator's admin row sent before its organization's INSERT (or before the
 * INSERT of the team it names) is taken right after it (`bootstrapOrder`),
 * so it completes the organization like one sent after.
 *
 * Ids compare without regard to case (the server folds them to lowercase),
 * so the scan folds the ids it reads from events as sent.
 */
import type { Actor, ScopedEvent, StoredRow, ValidEvent } from './event-types.ts';
import { validateEvent } from './validate-event.ts';

export type Bootstrap = {
  /** Whether `event` may skip the membership check (PROTOCOL §3). */
  skipsMembership(event: ScopedEvent, stored: StoredRow | undefined): boolean;
  /** Whether `event` is the creator's own admin row of an organization this request created: the one `members` INSERT push accepts (§1b). */
  isOwnAdminRow(event: ScopedEvent): boolean;
  /** Notes that this request's transaction inserted organization `organizationId`. */
  markCreated(organizationId: string): void;
  /** Notes that an event was applied (the creator's admin row completes its organization). */
  markApplied(event: ScopedEvent): void;
  /** Organizations this request created whose creator's admin row was not applied. */
  incomplete(): string[];
  /** Organizations the batch meant to create whose own INSERT is invalid (incomplete too, unless already stored). */
  neverCreated(): string[];
  /** Whether the batch may create an organization (and so add its creator's admin row). */
  mayCreate(): boolean;
};

/** Scans a batch for bootstrap candidates; pure apart from the request-local sets of created and completed organizations. */
export function scanBootstrap(rawEvents: readonly unknown[], actor: Actor): Bootstrap {
  const adminOf = new Set<string>();
  const inserted = new Set<string>();
  const refusedInserts = new Set<string>();
  for (const raw of rawEvents) {
    if (looksLikeInsertInto(raw, 'members')) {
      // Read from the event as sent: a creator's admin row that is itself invalid still names the organization
      // it was meant to complete, which then counts as created without one (every event of it refused).
      const organizationId = adminRowIntent(raw, actor);
      if (organizationId !== undefined) adminOf.add(organizationId);
    } else if (looksLikeInsertInto(raw, 'organizations')) {
      const validation = validateEvent(raw);
      if (validation.kind === 'valid') inserted.add(validation.event.recordId);
      else {
        const recordId = foldedId((raw as Record<string, unknown>).recordId);
        if (recordId !== undefined) refusedInserts.add(recordId);
      }
    }
  }
  const candidates = new Set([...adminOf].filter((id) => inserted.has(id)));
  // Meant to be created by this batch, but its INSERT is invalid: its admin row cannot be applied either.
  const neverCreated = [...adminOf].filter((id) => refusedInserts.has(id) && !inserted.has(id));
  const created = new Set<string>();
  const completed = new Set<string>();
  return {
    skipsMembership: (event, stored) => {
      if (created.has(event.organizationId)) return true;
      return (
        event.table === 'organizations' &&
        event.op === 'INSERT' &&
        stored === undefined &&
        candidates.has(event.recordId)
      );
    },
    isOwnAdminRow: (event) => created.has(event.organizationId) && isAdminRowOf(event, actor),
    markCreated: (organizationId) => {
      if (candidates.has(organizationId)) created.add(organizationId);
    },
    markApplied: (event) => {
      if (created.has(event.organizationId) && isAdminRowOf(event, actor)) completed.add(event.organizationId);
    },
    incomplete: () => [...created].filter((id) => !completed.has(id)),
    neverCreated: () => neverCreated,
    mayCreate: () => candidates.size > 0,
  };
}

/**
 * The order in which to process a batch: request order, except that an
 * actor's admin row of an organization the batch INSERTs (validly), sent
 * before that INSERT or before the INSERT of the team it names, is taken
 * right after the later of the two (PROTOCOL §3 "the server may take the
 * creator's admin row first, wherever it stands"). Answers stay in request
 * order. Pure.
 */
export function bootstrapOrder(rawEvents: readonly unknown[], actor: Actor): number[] {
  const firstInsert = { organizations: new Map<string, number>(), teams: new Map<string, number>() };
  rawEvents.forEach((raw, index) => {
    for (const table of ['organizations', 'teams'] as const) {
      if (!looksLikeInsertInto(raw, table)) continue;
      const validation = validateEvent(raw);
      if (validation.kind === 'valid' && !firstInsert[table].has(validation.event.recordId))
        firstInsert[table].set(validation.event.recordId, index);
    }
  });
  const takenAfter = new Map<number, number[]>();
  const moved = new Set<number>();
  rawEvents.forEach((raw, index) => {
    if (!looksLikeInsertInto(raw, 'members')) return;
    const organizationId = adminRowIntent(raw, actor);
    const organizationAt = organizationId === undefined ? undefined : firstInsert.organizations.get(organizationId);
    if (organizationAt === undefined) return;
    const teamId = foldedId(((raw as Record<string, unknown>).data as Record<string, unknown>).team_id);
    const teamAt = teamId === undefined ? undefined : firstInsert.teams.get(teamId);
    const after = Math.max(organizationAt, teamAt ?? -1);
    if (after < index) return;
    takenAfter.set(after, [...(takenAfter.get(after) ?? []), index]);
    moved.add(index);
  });
  const order: number[] = [];
  for (let index = 0; index < rawEvents.length; index++) {
    if (moved.has(index)) continue;
    order.push(index);
    for (const later of takenAfter.get(index) ?? []) order.push(later);
  }
  return order;
}

/** A `members` INSERT that makes the actor an admin. */
function isAdminRowOf(event: ValidEvent, actor: Actor): boolean {
  return looksLikeInsertInto(event, 'members') && adminRowIntent(event, actor) !== undefined;
}

/** The organization a raw `members` INSERT means to make the actor admin of, read without validating the row. */
function adminRowIntent(raw: unknown, actor: Actor): string | undefined {
  const data = (raw as Record<string, unknown>).data;
  if (typeof data !== 'object' || data === null) return undefined;
  const row = data as Record<string, unknown>;
  return foldedId(row.user_id) === actor.userId && row.role === 'admin' ? foldedId(row.organization_id) : undefined;
}

/** An id as the server keeps it (lowercase), read from an event as sent; undefined when it is not a string. */
function foldedId(value: unknown): string | undefined {
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}

function looksLikeInsertInto(raw: unknown, table: string): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const event = raw as Record<string, unknown>;
  return event.table === table && event.op === 'INSERT';
}
