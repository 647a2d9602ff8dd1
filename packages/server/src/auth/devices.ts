/**
 * Devices and their sync tokens (PROTOCOL §1). A device row is keyed by
 * (user, device): each sign-in on a device issues that user a new sync token
 * there, independent of the UI session.
 */
import type { DeviceId } from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { ServerDb } from '../db/schema.ts';
import type { Clock, Ids } from '../deps.ts';
import type { Hashing } from '../hashing.ts';
import { hashToken, newOpaqueToken } from './token-hash.ts';

/**
 * Creates the user's row for this device or updates it, with a new sync token
 * (only its hash is stored). A sign-in also lifts an earlier revocation: the
 * owner has just proved who they are on this device.
 */
export async function issueSyncToken(
  db: Kysely<ServerDb>,
  deps: { clock: Clock; ids: Ids; hashing: Hashing },
  input: { userId: string; deviceId: string; deviceName: string },
): Promise<string> {
  const token = newOpaqueToken(deps.ids);
  const syncTokenHash = hashToken(deps.hashing, token);
  await db
    .insertInto('devices')
    .values({
      user_id: input.userId,
      device_id: input.deviceId,
      device_name: input.deviceName,
      sync_token_hash: syncTokenHash,
      created_at: deps.clock.now().toISOString(),
    })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'device_id'])
        .doUpdateSet({ device_name: input.deviceName, sync_token_hash: syncTokenHash, revoked_at: null }),
    )
    .execute();
  return token;
}

export type SyncTokenOwner =
  | { kind: 'active'; userId: string; deviceId: DeviceId }
  | { kind: 'revoked' }
  | { kind: 'unknown' };

/** Finds the device a sync token belongs to, by the token's hash. */
export async function findSyncTokenOwner(
  { db, hashing }: { db: Kysely<ServerDb>; hashing: Hashing },
  token: string,
): Promise<SyncTokenOwner> {
  const hash = hashToken(hashing, token);
  return (await findSyncTokenOwnersByHash(db, [hash])).get(hash)!;
}

/** The owners of many sync tokens by their hashes, in one query (the woken waiting pulls' recheck); every hash asked has an entry. */
export async function findSyncTokenOwnersByHash(
  db: Kysely<ServerDb>,
  hashes: readonly string[],
): Promise<Map<string, SyncTokenOwner>> {
  const owners = new Map<string, SyncTokenOwner>(hashes.map((h) => [h, { kind: 'unknown' }]));
  if (hashes.length === 0) return owners;
  const rows = await db
    .selectFrom('devices')
    .select(['sync_token_hash', 'user_id', 'device_id', 'revoked_at'])
    .where('sync_token_hash', 'in', [...owners.keys()])
    .execute();
  for (const row of rows)
    owners.set(
      row.sync_token_hash,
      row.revoked_at !== null
        ? { kind: 'revoked' }
        : { kind: 'active', userId: row.user_id, deviceId: row.device_id as DeviceId },
    );
  return owners;
}

export type DeviceSummary = {
  deviceId: DeviceId;
  deviceName: string;
  createdAt: string;
  lastPushAt: string | null;
  lastPullAt: string | null;
  syncTokenRevoked: boolean;
};

/** The user's devices, oldest first (PROTOCOL §1 `GET /v1/devices`). */
export async function listDevices(db: Kysely<ServerDb>, userId: string): Promise<DeviceSummary[]> {
  const rows = await db
    .selectFrom('devices')
    .select(['device_id', 'device_name', 'created_at', 'last_push_at', 'last_pull_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('device_id')
    .execute();
  return rows.map((r) => ({
    deviceId: r.device_id as DeviceId,
    deviceName: r.device_name,
    createdAt: r.created_at,
    lastPushAt: r.last_push_at,
    lastPullAt: r.last_pull_at,
    syncTokenRevoked: r.revoked_at !== null,
  }));
}

/**
 * Revokes the sync token of one of the user's devices; false when the user
 * has no such device. Revoking twice keeps the first revocation's time.
 */
export async function revokeDevice(
  db: Kysely<ServerDb>,
  input: { userId: string; deviceId: string; now: Date },
): Promise<boolean> {
  const device = await db
    .selectFrom('devices')
    .select('revoked_at')
    .where('user_id', '=', input.userId)
    .where('device_id', '=', input.deviceId)
    .executeTakeFirst();
  if (!device) return false;
  await db
    .updateTable('devices')
    .set({ revoked_at: input.now.toISOString() })
    .where('user_id', '=', input.userId)
    .where('device_id', '=', input.deviceId)
    .where('revoked_at', 'is', null)
    .execute();
  return true;
}
