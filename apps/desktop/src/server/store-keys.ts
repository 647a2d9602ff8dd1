/**
 * The keys of the local stores (PROTOCOL §9, docs/security.md "Encryption at
 * rest"). Each person's store is encrypted with its own 256-bit random key.
 * That key is kept
 * - wrapped: AES-256-GCM under a key derived from the person's password
 *   (scrypt, 64 MiB, as the offline verifier), in `<dataDir>/store-keys.json`
 *   (0600). Only someone who knows the password can unwrap it, so a copied
 *   data folder or a lost disk gives up no patient data;
 * - in this process's memory from the person's sign-in (online or offline)
 *   until the process ends, so background sync goes on while the screen is
 *   locked or signed out, as it always has;
 * - in the OS keyring too, when a real one is reachable (never in a file
 *   instead), so background sync resumes after a restart before anyone signs
 *   in. Without a keyring, sync after a restart waits for the first sign-in.
 *
 * Password change: the store key never changes with the password, it is
 * wrapped again. The next online sign-in with the new password re-wraps the
 * key if this process or the keyring still holds it. If neither does, the
 * old wrapping cannot be opened by anyone but the old password: the store is
 * set aside (renamed, with its wrapped key kept under a dated name, never
 * deleted) and a new store syncs from the server.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { KeyringFactory } from './token-store.ts';

const PARAMS = { N: 2 ** 16, r: 8, p: 1 } as const;
const FILE_NAME = 'store-keys.json';
const SERVICE = 'ClinicSync desktop';

const wrappedSchema = z.object({
  salt: z.string(),
  iv: z.string(),
  tag: z.string(),
  wrapped: z.string(),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
});
type Wrapped = z.infer<typeof wrappedSchema>;
const fileSchema = z.record(z.string(), wrappedSchema);

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, 32, { ...params, maxmem: 256 * params.N * params.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Wraps `key` under `password`; the user id is authenticated with it, so an entry cannot be moved to another person. */
async function wrap(key: Buffer, password: string, userId: string): Promise<Wrapped> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kek = await derive(password, salt, PARAMS);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(userId));
  const wrapped = Buffer.concat([cipher.update(key), cipher.final()]);
  return {
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    wrapped: wrapped.toString('base64'),
    ...PARAMS,
  };
}

/** The key inside `entry`, or null when `password` is not the one it was wrapped under. */
async function unwrap(entry: Wrapped, password: string, userId: string): Promise<Buffer | null> {
  const kek = await derive(password, Buffer.from(entry.salt, 'base64'), entry);
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(entry.iv, 'base64'));
  decipher.setAAD(Buffer.from(userId));
  decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
  try {
    const key = Buffer.concat([decipher.update(Buffer.from(entry.wrapped, 'base64')), decipher.final()]);
    return key.length === 32 ? key : null;
  } catch {
    return null;
  }
}

export type StoreKeysOptions = {
  readonly dataDir: string;
  readonly deviceId: () => string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly openKeyring?: KeyringFactory;
  /** Renames the person's store files aside, with `stamp` in their names. */
  readonly setAside: (userId: string, stamp: string) => void;
  readonly now: () => Date;
  readonly log: (line: string) => void;
};

/** How an online sign-in found the store key. */
export type OnlineUnlock = 'unlocked' | 'created' | 'rewrapped' | 'set_aside';

export type StoreKeys = {
  /** The key of `userId`'s store while this process holds it, else null. */
  keyFor(userId: string): Buffer | null;
  /** At launch: takes the key from the OS keyring, when there is one. True when the store can open. */
  resume(userId: string): boolean;
  /** After the server accepted `password` for `userId`: unlock, create or re-wrap the store key. */
  unlockOnline(userId: string, password: string): Promise<OnlineUnlock>;
  /** Offline sign-in, after the offline verifier accepted `password`: true when it unwraps the key (a person without one gets one). */
  unlockOffline(userId: string, password: string): Promise<boolean>;
  /** A store file did not open with the key held: set it aside (never deleted) and return the key to start a new store with. */
  replace(userId: string): Buffer;
};

/** The store keys of one data folder. */
export function openStoreKeys(options: StoreKeysOptions): StoreKeys {
  const path = join(options.dataDir, FILE_NAME);
  const inMemory = new Map<string, Buffer>();

  const read = (): Record<string, Wrapped> => {
    if (!existsSync(path)) return {};
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    // A damaged file is never silently replaced: it holds the only way into the stores.
    if (!parsed.success) throw new Error('store-keys.json is damaged; the local stores cannot be unlocked.');
    return parsed.data;
  };
  const write = (entries: Record<string, Wrapped>) => {
    writeFileSync(`${path}.tmp`, JSON.stringify(entries), { mode: 0o600 });
    chmodSync(`${path}.tmp`, 0o600);
    renameSync(`${path}.tmp`, path);
  };

  /** The OS keyring entry of `userId`'s key, or null where no real keyring is usable (never a file). */
  const keyring = (userId: string) => {
    if (options.env.CLINICSYNC_TOKEN_STORE === 'file' || !options.openKeyring) return null;
    try {
      return options.openKeyring(SERVICE, `store-key-${options.deviceId()}-${userId}`);
    } catch {
      return null;
    }
  };
  const keepInKeyring = (userId: string, key: Buffer) => {
    try {
      keyring(userId)?.setPassword(key.toString('base64'));
    } catch {
      // No usable keyring: the key stays in memory only, and a restart waits for a sign-in.
    }
  };
  const fromKeyring = (userId: string): Buffer | null => {
    try {
      const value = keyring(userId)?.getPassword();
      const key = value ? Buffer.from(value, 'base64') : null;
      return key && key.length === 32 ? key : null;
    } catch {
      return null;
    }
  };

  const hold = (userId: string, key: Buffer) => {
    inMemory.set(userId, key);
    keepInKeyring(userId, key);
    return key;
  };

  const stamp = () => options.now().toISOString().replace(/[:.]/g, '-');

  return {
    keyFor: (userId) => inMemory.get(userId) ?? null,

    resume(userId) {
      if (inMemory.has(userId)) return true;
      const key = fromKeyring(userId);
      if (key) inMemory.set(userId, key);
      return key !== null;
    },

    async unlockOnline(userId, password) {
      const entries = read();
      const entry = entries[userId];
      const held = inMemory.get(userId) ?? fromKeyring(userId);
      if (entry) {
        const key = await unwrap(entry, password, userId);
        if (key) {
          hold(userId, key);
          return 'unlocked';
        }
      }
      if (held) {
        // The password changed (or the entry was lost): same key, wrapped under the new password.
        write({ ...read(), [userId]: await wrap(held, password, userId) });
        hold(userId, held);
        return 'rewrapped';
      }
      const key = randomBytes(32);
      if (entry) {
        // Only the old password opens the old key: keep both aside, dated, and start a new store.
        const when = stamp();
        options.setAside(userId, when);
        options.log(
          'the password changed while this computer was off; the previous local store was set aside and a new one syncs from the server',
        );
        write({ ...read(), [`${userId}@${when}`]: entry, [userId]: await wrap(key, password, userId) });
        hold(userId, key);
        return 'set_aside';
      }
      write({ ...read(), [userId]: await wrap(key, password, userId) });
      hold(userId, key);
      return 'created';
    },

    async unlockOffline(userId, password) {
      const entry = read()[userId];
      if (!entry) {
        if (inMemory.has(userId)) return true;
        // A store from before encryption (or none yet): the offline verifier has just checked this
        // password, so the key is created and wrapped under it, and the store is encrypted as it opens.
        const key = randomBytes(32);
        write({ ...read(), [userId]: await wrap(key, password, userId) });
        hold(userId, key);
        return true;
      }
      const key = await unwrap(entry, password, userId);
      if (!key) return false;
      hold(userId, key);
      return true;
    },

    replace(userId) {
      const key = inMemory.get(userId);
      if (!key) throw new Error('No store key is held for this person.');
      // The file is not this key's store (e.g. the key file was restored from elsewhere): keep it, start over with the same key.
      options.setAside(userId, stamp());
      options.log('a local store did not open with its key; it was set aside and a new one syncs from the server');
      return key;
    },
  };
}
