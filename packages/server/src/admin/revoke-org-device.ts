/**
 * An org admin revokes a member's device (PROTOCOL §6
 * `DELETE /v1/orgs/:orgId/devices/:deviceId`): the device's sync token stops
 * working at once (`401 token_revoked` on its next push or pull).
 *
 * Devices are per user (a shared clinic computer has one sync token per
 * person signed in on it), so by default every current member's token on
 * that device is revoked: the usual reason is a lost or stolen computer.
 * `userId` narrows it to one person. Tokens of people who are not current
 * members of the organization are never touched, so an admin can only act
 * on their own organization's people.
 *
 * A sync token serves every organization its person belongs to, so revoking
 * it reaches beyond this one: the device then syncs nothing until its person
 * signs in on it again. That is what a lost or stolen computer needs, and it
 * costs the person's other organizations no data (the device's unsent work
 * waits in its outbox). Membership is by consent (PROTOCOL §1b), so an
 * admin can only reach devices of people who accepted to join.
 */
import type { DeviceId, OrganizationId, UserId } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';
import { currentMemberIds } from './current-members.ts';

export type RevokeOrgDeviceInput = {
  readonly organizationId: OrganizationId;
  /** The admin asking (checked by the route). */
  readonly callerId: UserId;
  readonly deviceId: DeviceId;
  readonly userId?: UserId;
  readonly now: Date;
};

export type RevokeOrgDeviceOutcome =
  | { readonly kind: 'revoked'; readonly userIds: readonly string[] }
  | { readonly kind: 'not_found' };

/** Revokes the device's sync tokens of the org's members; `not_found` when no current member has that device. */
export async function revokeOrgDevice(
  db: Kysely<ServerDb>,
  input: RevokeOrgDeviceInput,
): Promise<RevokeOrgDeviceOutcome> {
  return db.transaction().execute(async (trx) => {
    let matching = trx
      .selectFrom('devices')
      .select(['devices.user_id', 'devices.revoked_at'])
      .where('devices.device_id', '=', input.deviceId)
      .where('devices.user_id', 'in', currentMemberIds(trx, input.organizationId));
    if (input.userId) matching = matching.where('devices.user_id', '=', input.userId);
    const rows = await matching.execute();
    if (rows.length === 0) return { kind: 'not_found' };
    // Already revoked tokens keep their first revocation time: revoking twice
    // is answered the same and changes nothing.
    const userIds = rows.filter((r) => r.revoked_at === null).map((r) => r.user_id);
    if (userIds.length > 0) {
      await trx
        .updateTable('devices')
        .set({ revoked_at: input.now.toISOString() })
        .where('devices.device_id', '=', input.deviceId)
        .where('devices.user_id', 'in', userIds)
        .where('devices.revoked_at', 'is', null)
        .execute();
    }
    return { kind: 'revoked', userIds };
  });
}
