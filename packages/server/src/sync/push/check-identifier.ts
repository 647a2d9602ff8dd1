/**
 * A clinic number is unique within its organization (PROTOCOL §2b,
 * `rejected: duplicate_identifier`). The check runs under the organization's
 * lock (lock-organization.ts): on PostgreSQL two instances pushing the same
 * number at once are serialized there, and the second one's read sees the
 * first one's committed row. The unique index of migration 0007 is the last
 * line of defence: a write that still got past would fail the batch, which
 * then runs again and answers `duplicate_identifier`.
 *
 * Deleted patients keep their number: a clinic number written on paper
 * records must never come to mean a second person.
 */
import type { BatchRows } from './batch-rows.ts';
import { reject, type Rejection, type ScopedEvent, type StoredRow } from './event-types.ts';
import { lockOrganization } from './lock-organization.ts';

/** The refusal when the event gives its patient a number another patient of the organization holds; undefined otherwise. */
export async function checkIdentifier(
  rows: BatchRows,
  input: { readonly event: ScopedEvent; readonly stored: StoredRow | undefined },
): Promise<Rejection | undefined> {
  const { event, stored } = input;
  const identifier = event.data.identifier;
  if (typeof identifier !== 'string') return undefined;
  if (event.op === 'UPDATE' && stored?.values.identifier === identifier) return undefined;
  // The batch's own buffered patients are written first, so two in one batch are compared too.
  const trx = await rows.flushed();
  await lockOrganization(trx, event.organizationId);
  const holder = await trx
    .selectFrom('patients')
    .select('id')
    .where('organization_id', '=', event.organizationId)
    .where('identifier', '=', identifier)
    .where('id', '!=', event.recordId)
    .executeTakeFirst();
  return holder
    ? reject('duplicate_identifier', 'Another patient of this organization already has this clinic number.', {
        field: 'identifier',
        fields: ['identifier'],
      })
    : undefined;
}
