/**
 * What the browser keeps about this device besides the clinic data, in its
 * own small database of the pool (`/device.sqlite`): the device identity, the
 * sync token of each person who signed in here, offline sign-in verifiers
 * and the names of people met. It is the browser's counterpart of the
 * desktop's data folder files (device.json, the keyring, offline-unlock.json,
 * people.json), and sits in the same origin-private, leader-locked storage as
 * the records themselves.
 */
import type { DeviceIdentity } from '@clinicsync/desktop/src/server/device-identity.ts';
import type { PeopleDirectory } from '@clinicsync/desktop/src/server/people-directory.ts';
import type { SyncTokenStore } from '@clinicsync/desktop/src/server/token-store.ts';
import type { SqliteDatabase } from '@clinicsync/client';
import { z } from 'zod';

export type DeviceStore = {
  read(key: string): string | null;
  write(key: string, value: string): void;
  remove(key: string): void;
};

/** A key-value table in `db`, created if missing. */
export function openDeviceStore(db: SqliteDatabase): DeviceStore {
  db.exec('CREATE TABLE IF NOT EXISTS device_kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)');
  return {
    read: (key) => {
      const row = db.get('SELECT value FROM device_kv WHERE key = ?', [key]);
      return typeof row?.value === 'string' ? row.value : null;
    },
    write: (key, value) => {
      db.run(
        'INSERT INTO device_kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
    },
    remove: (key) => {
      db.run('DELETE FROM device_kv WHERE key = ?', [key]);
    },
  };
}

const identitySchema = z.object({
  deviceId: z.uuid(),
  deviceName: z.string().min(1).max(200),
  syncUserId: z.uuid().nullable(),
});

/** Reads the identity, creating it on the first visit. A damaged one is an error, never silently replaced: it names this device's sync token. */
export function loadIdentity(store: DeviceStore, newId: () => string, defaultName: string): DeviceIdentity {
  const text = store.read('identity');
  if (text !== null) return identitySchema.parse(JSON.parse(text));
  const identity: DeviceIdentity = { deviceId: newId(), deviceName: defaultName.slice(0, 200), syncUserId: null };
  saveIdentity(store, identity);
  return identity;
}

export function saveIdentity(store: DeviceStore, identity: DeviceIdentity): void {
  store.write('identity', JSON.stringify(identity));
}

/**
 * One person's sync token on this device. It stays inside the engine worker
 * and this storage; no route of the local API ever returns it, so the page's
 * own script never holds it (docs/browser-app.md, "Tokens").
 */
export function browserTokenStore(store: DeviceStore, userId: string): SyncTokenStore {
  const key = `sync-token:${userId}`;
  let cached: string | null | undefined;
  return {
    kind: 'browser',
    get: () => (cached === undefined ? (cached = store.read(key)) : cached),
    set: (token) => {
      store.write(key, token);
      cached = token;
    },
    clear: () => {
      store.remove(key);
      cached = null;
    },
  };
}

const peopleSchema = z.record(z.string(), z.string().max(200));

/** Names of people this device has met, as on the desktop (staff names only, never patient data). */
export function browserPeopleDirectory(store: DeviceStore): PeopleDirectory {
  const names = new Map<string, string>();
  const parsed = peopleSchema.safeParse(JSON.parse(store.read('people') ?? '{}'));
  // A damaged entry only costs names on screen.
  if (parsed.success) for (const [id, name] of Object.entries(parsed.data)) names.set(id, name);
  return {
    nameOf: (userId) => names.get(userId) ?? null,
    remember: (userId, name) => {
      if (names.get(userId) === name) return;
      names.set(userId, name.slice(0, 200));
      store.write('people', JSON.stringify(Object.fromEntries(names)));
    },
  };
}
