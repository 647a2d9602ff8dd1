/**
 * The device's identity, persisted in the data folder: its id (chosen once,
 * sent with every sign-in and sync request) and which user its sync token
 * belongs to, so signing in as someone else starts from a clean local store.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Ids } from './desktop-deps.ts';

const identitySchema = z.object({
  deviceId: z.uuid(),
  deviceName: z.string().min(1).max(200),
  /** The user the stored sync token was issued to; null before the first sign-in. */
  syncUserId: z.uuid().nullable(),
});
export type DeviceIdentity = z.infer<typeof identitySchema>;

const FILE_NAME = 'device.json';

/** Creates the data folder (owner-only, it holds patient data) if needed. */
export function ensureDataFolder(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // An existing folder keeps its mode on mkdir; tighten it.
  chmodSync(dataDir, 0o700);
}

/** Reads the identity, creating one with a new device id on first launch. A corrupt file is an error, never silently replaced: the device id names this device's sync token on the server. */
export function loadDeviceIdentity(dataDir: string, ids: Ids, defaultName: string): DeviceIdentity {
  const path = join(dataDir, FILE_NAME);
  if (existsSync(path)) return identitySchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const identity: DeviceIdentity = {
    deviceId: ids.newId(),
    deviceName: defaultName.slice(0, 200) || 'ClinicSync desktop',
    syncUserId: null,
  };
  saveDeviceIdentity(dataDir, identity);
  return identity;
}

/** Writes the identity atomically. */
export function saveDeviceIdentity(dataDir: string, identity: DeviceIdentity): void {
  const path = join(dataDir, FILE_NAME);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
