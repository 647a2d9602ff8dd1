/**
 * Deleting an organization ends its memberships (PROTOCOL §1b): every live
 * `members` row of it becomes a tombstone in the same transaction, recorded
 * in the organization's change log and audit trail like any other change
 * (the deleting admin is the author), so its people stop counting it
 * against their 50-organization cap and their devices are told it is gone.
 */
import { tableSpec } from '@clinicsync/protocol';
import { applyEvent } from './apply-event.ts';
import type { BatchRows } from './batch-rows.ts';
import type { Actor, ScopedEvent } from './event-types.ts';
import { lockOrganization } from './lock-organization.ts';
import type { ChangeRecorder } from './record-change.ts';
import { TransientWriteConflict } from './run-in-transaction.ts';

// A member row another connection keeps changing is re-read this many times before the batch gives up (and is retried whole).
const ATTEMPTS = 3;

/** Tombstones the live members of the organization `deletion` (an applied organizations DELETE) removed; returns their user ids. */
export async function endMemberships(
  rows: BatchRows,
  changes: ChangeRecorder,
  input: { readonly deletion: ScopedEvent; readonly actor: Actor; readonly now: string },
): Promise<string[]> {
  const { deletion, actor, now } = input;
  const ended: string[] = [];
  const organizationId = deletion.organizationId;
  const trx = await rows.flushed();
  // Serializes with writers that count this organization's members (invitation accepts, last-admin checks).
  await lockOrganization(trx, organizationId);
  const live = await trx
    .selectFrom('members')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('deleted', '=', 0)
    .execute();
  for (const { id } of live) {
    for (let attempt = 1; ; attempt++) {
      const stored = attempt === 1 ? await rows.get('members', id) : await rows.reload('members', id);
      if (!stored || stored.deleted) break;
      const event: ScopedEvent = {
        eventId: deletion.eventId,
        table: 'members',
        spec: tableSpec('members'),
        op: 'DELETE',
        recordId: id,
        baseVersion: stored.version,
        data: {},
        organizationId,
      };
      const applied = await applyEvent(rows, { event, stored, actor, now });
      if (applied.kind === 'applied') {
        changes.record({ event, before: applied.before, after: applied.after, actor, now });
        if (typeof stored.values.user_id === 'string') ended.push(stored.values.user_id);
        break;
      }
      if (attempt >= ATTEMPTS)
        throw new TransientWriteConflict('a membership kept changing while its organization was deleted');
    }
  }
  return ended;
}
