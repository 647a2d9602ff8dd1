/**
 * The data rules an event must keep before it is applied (PROTOCOL §2):
 * scope-defining references never change, cross-references stay inside one
 * organization, a membership names a real user once per organization, and an
 * organization always keeps at least one admin. Runs after the version guard,
 * inside the batch's transaction. References are read through the batch's
 * rows; the membership rules count rows in SQL, so they first write the
 * batch's buffered rows (`flushed()`).
 */
import { assert, isTableName, MAX_MEMBERSHIPS_PER_USER, scopeLink } from '@clinicsync/protocol';
import type { Transaction } from 'kysely';
import type { ServerDb } from '../../db/schema.ts';
import type { BatchRows } from './batch-rows.ts';
import { reject, type Rejection, type ScopedEvent, type StoredRow } from './event-types.ts';
import { countActiveMemberships, findLiveMembership, lockMembershipsOf } from '../../auth/memberships.ts';
import { lockOrganization } from './lock-organization.ts';
import { resolveReference } from './resolve-scope.ts';

export type Integrity = { readonly kind: 'ok' } | Rejection;

/** Checks the event against the rules above; the first broken rule is the rejection. */
export async function checkIntegrity(
  rows: BatchRows,
  input: { readonly event: ScopedEvent; readonly stored: StoredRow | undefined; readonly ownAdminRow: boolean },
): Promise<Integrity> {
  const { event, stored } = input;
  // Nobody joins without consent (PROTOCOL §1b): members come from accepted
  // invitations; the only INSERT push takes is the creator's own admin row.
  if (event.table === 'members' && event.op === 'INSERT' && !input.ownAdminRow) {
    return reject('forbidden', 'Members join by accepting an invitation; invite the person instead.');
  }
  if (event.op === 'UPDATE') {
    assert(stored !== undefined, 'an UPDATE reaches checkIntegrity only for a stored row');
    const changed = event.spec.immutable.filter(
      (field) => Object.hasOwn(event.data, field) && event.data[field] !== stored.values[field],
    );
    if (changed.length > 0)
      return reject(
        'immutable_field',
        `${changed.join(', ')} of a ${event.spec.label} cannot change after it was created.`,
      );
  }
  const references = await checkReferences(rows, event, stored);
  if (references.kind !== 'ok') return references;
  if (event.table === 'members') return checkMembership(await rows.flushed(), event, stored);
  return { kind: 'ok' };
}

/**
 * Every reference the event sets must name a live row of the same
 * organization: `not_found` when it is missing or deleted, `cross_organization`
 * when it belongs elsewhere (an appointment moving to another organization's
 * team, a member placed in a foreign team).
 */
async function checkReferences(rows: BatchRows, event: ScopedEvent, stored: StoredRow | undefined): Promise<Integrity> {
  for (const [column, spec] of Object.entries(event.spec.columns)) {
    if (spec.type !== 'uuid' || spec.references === undefined) continue;
    const value = event.data[column];
    if (typeof value !== 'string') continue;
    // resolveScope already followed an INSERT's scope reference, and an unchanged reference was checked when it was set.
    if (event.op === 'INSERT' && column === scopeLink(event.table)?.column) continue;
    if (event.op === 'UPDATE' && stored?.values[column] === value) continue;
    assert(isTableName(spec.references), `the registry references an unknown table ${spec.references}`);
    const organizationId = await resolveReference(rows, spec.references, value);
    if (!organizationId)
      return reject('not_found', `The ${column} of this ${event.spec.label} names a record that does not exist.`);
    if (organizationId !== event.organizationId) {
      return reject(
        'cross_organization',
        `The ${column} of this ${event.spec.label} names a record of another organization.`,
      );
    }
  }
  return { kind: 'ok' };
}

/** Membership rules: a real user, once per organization, within the cap, and never the last admin removed or demoted. */
async function checkMembership(
  trx: Transaction<ServerDb>,
  event: ScopedEvent,
  stored: StoredRow | undefined,
): Promise<Integrity> {
  const organizationId = event.organizationId;
  if (event.op === 'INSERT') {
    const userId = String(event.data.user_id);
    const user = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!user) return reject('not_found', 'There is no user with this id.');
    // Locked so two concurrent adds of the same person cannot both pass the check below.
    await lockOrganization(trx, organizationId);
    const existing = await findLiveMembership(trx, organizationId, userId);
    if (existing) return reject('already_exists', 'This user is already a member of the organization.');
    // A new organization's lock keeps nobody else out: the person's own lock makes the count below hold
    // against their other pushes and accepts running at the same moment. runAttempt took it before the batch's
    // first event; taking it again costs nothing and keeps this check sound on its own.
    await lockMembershipsOf(trx, userId);
    return (await countActiveMemberships(trx, userId)) >= MAX_MEMBERSHIPS_PER_USER
      ? reject(
          'forbidden',
          `This person already belongs to ${MAX_MEMBERSHIPS_PER_USER} organizations, the most one person can.`,
        )
      : { kind: 'ok' };
  }

  assert(stored !== undefined, 'a members UPDATE or DELETE reaches checkIntegrity only for a stored row');
  const losesAdmin =
    stored.values.role === 'admin' &&
    (event.op === 'DELETE' || (Object.hasOwn(event.data, 'role') && event.data.role !== 'admin'));
  if (!losesAdmin) return { kind: 'ok' };
  // Locked so two admins demoting each other concurrently cannot both see the other as the remaining admin.
  await lockOrganization(trx, organizationId);
  const others = await trx
    .selectFrom('members')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'admin')
    .where('deleted', '=', 0)
    .where('id', '!=', event.recordId)
    .executeTakeFirst();
  return others ? { kind: 'ok' } : reject('last_admin', 'An organization must keep at least one admin.');
}
