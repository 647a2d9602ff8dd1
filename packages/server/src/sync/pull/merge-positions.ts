/**
 * How a pull moves the cursor's per-organization positions (PROTOCOL §4).
 * Pure: the database reads happen in `run-pull.ts`, which calls these two
 * steps before and after reading the change log.
 */
import type { CursorPosition } from './cursor.ts';

/** One active membership of the pulling user (a `members` row with `deleted = 0`). */
export type Membership = { readonly organizationId: string; readonly membershipId: string };

export type ResolvedPositions = {
  /** One position per organization the user belongs to, sorted by organization id. */
  readonly positions: readonly CursorPosition[];
  /** Organizations in the cursor the user no longer belongs to, sorted. */
  readonly revoked: readonly string[];
};

/**
 * Decides where each organization's read starts: the cursor's position when it
 * was earned under a membership the user still holds, else 0 (newly joined, or
 * removed and added again: a new `members` row). Cursor organizations without
 * a current membership are revoked; their positions are dropped.
 */
export function resolvePositions(
  cursor: readonly CursorPosition[],
  memberships: readonly Membership[],
): ResolvedPositions {
  const byOrganization = new Map<string, string[]>();
  for (const m of memberships) {
    const ids = byOrganization.get(m.organizationId) ?? [];
    ids.push(m.membershipId);
    byOrganization.set(m.organizationId, ids);
  }
  const fromCursor = new Map(cursor.map((p) => [p.organizationId, p]));

  const positions: CursorPosition[] = [];
  for (const [organizationId, membershipIds] of byOrganization) {
    const previous = fromCursor.get(organizationId);
    if (previous && membershipIds.includes(previous.membershipId)) {
      positions.push(previous);
    } else {
      // Two live rows for one person should not exist; if they do, pick one deterministically.
      positions.push({ organizationId, membershipId: [...membershipIds].sort()[0]!, seq: 0 });
    }
  }
  positions.sort(byOrganizationId);

  const revoked = cursor
    .map((p) => p.organizationId)
    .filter((id) => !byOrganization.has(id))
    .sort();
  return { positions, revoked };
}

/** Moves each position to the highest `seq` sent for its organization; positions never move back. */
export function advancePositions(
  positions: readonly CursorPosition[],
  sent: readonly { readonly organizationId: string; readonly seq: number }[],
): CursorPosition[] {
  const highest = new Map<string, number>();
  for (const change of sent)
    highest.set(change.organizationId, Math.max(highest.get(change.organizationId) ?? 0, change.seq));
  return positions.map((p) => {
    const seq = highest.get(p.organizationId);
    return seq !== undefined && seq > p.seq ? { ...p, seq } : p;
  });
}

function byOrganizationId(a: CursorPosition, b: CursorPosition): number {
  return a.organizationId < b.organizationId ? -1 : a.organizationId > b.organizationId ? 1 : 0;
}
