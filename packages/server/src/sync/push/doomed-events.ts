/**
 * Which events of a batch belong to an organization whose bootstrap failed
 * (PROTOCOL §3, 2026-12): the organization's own INSERT and every event that
 * reaches it through rows the same batch creates (its members, teams and
 * patients, their appointments, vitals and medications), and any later
 * event of one of those records. Decided from the batch alone, since none
 * of these rows may exist afterwards. Pure.
 */
import { isTableName, TABLES, type Op, type TableName, type TableSpec } from '@clinicsync/protocol';

/** What the search needs of an event: a valid event, or what an invalid one plainly says of itself. */
export type DoomCandidate = {
  readonly eventId: string;
  readonly table: TableName;
  readonly op: Op;
  readonly recordId: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly spec: Pick<TableSpec, 'columns'>;
};

/**
 * An event that did not validate, as far as its own fields say where it belongs: its creator's invalid admin row
 * (an unknown field, a malformed team) is still that organization's event, and is refused with the rest of it.
 * An invalid INSERT of the organization itself is not: it keeps its own reason, the cause of the rest's refusal.
 * Ids are folded to lowercase, as the server keeps them.
 */
export function looseCandidate(raw: unknown): DoomCandidate | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { eventId, table, op, recordId, data } = raw as Record<string, unknown>;
  if (typeof eventId !== 'string' || typeof table !== 'string' || !isTableName(table)) return undefined;
  if ((op !== 'INSERT' && op !== 'UPDATE' && op !== 'DELETE') || typeof recordId !== 'string') return undefined;
  if (table === 'organizations' && op === 'INSERT') return undefined;
  const fields = typeof data === 'object' && data !== null && !Array.isArray(data) ? data : {};
  return {
    eventId: eventId.toLowerCase(),
    table,
    op,
    recordId: recordId.toLowerCase(),
    data: fields as Record<string, unknown>,
    spec: TABLES[table],
  };
}

/** The eventIds of the events of `doomedOrganizations` among `events` (undefined: nothing to tell where it belongs). */
export function findDoomedEvents(
  events: readonly (DoomCandidate | undefined)[],
  doomedOrganizations: ReadonlySet<string>,
): Set<string> {
  const doomed = new Set<string>();
  if (doomedOrganizations.size === 0) return doomed;
  const records = new Map<TableName, Set<string>>([['organizations', new Set(doomedOrganizations)]]);
  const holds = (table: string, id: unknown) =>
    typeof id === 'string' && isTableName(table) && (records.get(table)?.has(id.toLowerCase()) ?? false);

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
