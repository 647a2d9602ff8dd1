/**
 * The devices of an organization's current members with their sync-queue
 * health (PROTOCOL §6 `GET /v1/orgs/:orgId/devices`). Membership comes from
 * the server's `members` table: a device of someone who left the
 * organization, or who is only invited, is not listed. Every device of a
 * member syncs the organization (a sync token serves all of its person's
 * organizations); the figures are the organization's own share of the
 * device's outbox, null when the device never reported one for it.
 */
import type { OrganizationId, OrgDevice } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';
import { assessDeviceHealth } from './device-health.ts';
import { currentMemberIds } from './current-members.ts';

/** Lists the org members' devices, oldest pending edit first (see `compareDevices`). */
export async function listOrgDevices(
  db: Kysely<ServerDb>,
  organizationId: OrganizationId,
  now: Date,
): Promise<OrgDevice[]> {
  const rows = await db
    .selectFrom('devices')
    .innerJoin('users', 'users.id', 'devices.user_id')
    // This organization's share of each outbox only (PROTOCOL §6, 2026-12): no row means not reported for it.
    .leftJoin('device_outbox', (join) =>
      join
        .onRef('device_outbox.user_id', '=', 'devices.user_id')
        .onRef('device_outbox.device_id', '=', 'devices.device_id')
        .on('device_outbox.organization_id', '=', organizationId),
    )
    .where('devices.user_id', 'in', currentMemberIds(db, organizationId))
    .select([
      'devices.device_id',
      'devices.device_name',
      'devices.user_id',
      'users.name as user_name',
      'devices.created_at',
      'devices.revoked_at',
      'devices.last_push_at',
      'devices.last_pull_at',
      'device_outbox.pending',
      'device_outbox.oldest_pending_at',
      'device_outbox.open_conflicts',
      'device_outbox.dead_letters',
      'devices.schema_version',
      'devices.app_version',
    ])
    .execute();

  return rows
    .map((row): OrgDevice => {
      const facts = {
        pending: row.pending,
        oldestPendingAt: row.oldest_pending_at,
        lastPushAt: row.last_push_at,
        lastPullAt: row.last_pull_at,
        createdAt: row.created_at,
      };
      return {
        deviceId: row.device_id,
        deviceName: row.device_name,
        userId: row.user_id,
        userName: row.user_name,
        pending: row.pending,
        oldestPendingAt: row.oldest_pending_at,
        openConflicts: row.open_conflicts,
        deadLetters: row.dead_letters,
        lastPushAt: row.last_push_at,
        lastPullAt: row.last_pull_at,
        schemaVersion: row.schema_version,
        appVersion: row.app_version,
        syncTokenRevoked: row.revoked_at !== null,
        ...assessDeviceHealth(facts, now),
      };
    })
    .sort(compareDevices);
}

/**
 * Default order for an admin scanning for trouble: devices holding unsent
 * edits first, oldest edit first (those edits exist nowhere else); then the
 * rest, longest silent first. Ties break on names and ids so the order is
 * stable. Sorted here rather than in SQL because the two databases disagree
 * on where NULLs sort.
 */
export function compareDevices(a: OrgDevice, b: OrgDevice): number {
  const aPending = hasPending(a);
  const bPending = hasPending(b);
  if (aPending !== bPending) return aPending ? -1 : 1;
  if (aPending && bPending) {
    const byAge = compareTimes(a.oldestPendingAt, b.oldestPendingAt);
    if (byAge !== 0) return byAge;
  }
  return (
    compareTimes(lastContact(a), lastContact(b)) ||
    a.userName.localeCompare(b.userName) ||
    a.deviceName.localeCompare(b.deviceName) ||
    a.userId.localeCompare(b.userId) ||
    a.deviceId.localeCompare(b.deviceId)
  );
}

function hasPending(device: OrgDevice): boolean {
  return (device.pending ?? 0) > 0 && device.oldestPendingAt !== null;
}

function lastContact(device: OrgDevice): string | null {
  const times = [device.lastPushAt, device.lastPullAt].filter((t): t is string => t !== null);
  if (times.length === 0) return null;
  return times.reduce((latest, t) => (Date.parse(t) > Date.parse(latest) ? t : latest));
}

// Earlier first; a missing time (never synced) sorts before any time.
function compareTimes(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return Date.parse(a) - Date.parse(b);
}
