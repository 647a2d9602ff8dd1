/**
 * Which events of a batch belong to an organization whose bootstrap failed
 * (PROTOCOL §3, 2026-12): the organization's own INSERT and every event that
 * reaches it through rows the same batch creates (its members, teams and
 * patients, their appointments, vitals and medications), and any later
 * event of one of those records. Decided from the batch alone, since none
 * of these rows may exist afterwards. Pure.
 */
import { isTableName, type TableName } from '@clinicsync/protocol';
import type { ValidEvent } from './event-types.ts';

/** The eventIds of the events of `doomedOrganizations` among `events` (undefined: an event that did not validate). */
export function findDoomedEvents(
  events: readonly (ValidEvent | undefined)[],
  doomedOrganizations: ReadonlySet<string>,
): Set<string> {
  const doomed = new Set<string>();
  if (doomedOrganizations.size === 0) return doomed;
  const records = new Map<TableName, Set<string>>([['organizations', new Set(doomedOrganizations)]]);
  const holds = (table: string, id: unknown) =>
    typeof id === 'string' && isTableName(table) && (records.get(table)?.has(id) ?? false);

  // Repeated until nothing changes, so a child sent before its parent is found too.
  for (let changed = true; changed; ) {
    changed = false;
    for (const event of events) {
      if (!event || doomed.has(event.eventId)) continue;
      const reaches =
        holds(event.table, event.recordId) ||
        (event.op === 'INSERT' &&
          Object.entries(event.spec.columns).some(
            ([column, spec]) =>
              spec.type === 'uuid' && spec.references !== undefined && holds(spec.references, event.data[column]),
          ));
      if (!reaches) continue;
      doomed.add(event.eventId);
      if (!records.has(event.table)) records.set(event.table, new Set());
      records.get(event.table)!.add(event.recordId);
      changed = true;
    }
  }
  return doomed;
}
