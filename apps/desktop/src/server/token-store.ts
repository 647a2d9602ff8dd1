/**
 * Where the device's sync token lives (PROTOCOL §1): the OS keyring, or a
 * 0600 file in the data folder when no keyring service is reachable (headless
 * Linux answers `GenericFailure`). `CLINICSYNC_TOKEN_STORE=file` forces the
 * file. The auth and refresh tokens never come here: they stay in memory.
 */
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type SyncTokenStore = {
  /** `keyring` or `file`: shown in the about panel and in logs. */
  readonly kind: 'keyring' | 'file' | 'memory';
  get(): string | null;
  set(token: string): void;
  clear(): void;
};

/** The slice of `@napi-rs/keyring`'s `Entry` this module uses, so tests can pass a fake. */
export type KeyringEntry = {
  getPassword(): string | null;
  setPassword(password: string): void;
  deletePassword(): boolean;
};

export type KeyringFactory = (service: string, account: string) => KeyringEntry;

const SERVICE = 'ClinicSync desktop';
const FILE_NAME = 'sync-token';

/** A store backed by one keyring entry; errors propagate (the caller decides the fallback). */
export function keyringTokenStore(entry: KeyringEntry): SyncTokenStore {
  return {
    kind: 'keyring',
    get: () => entry.getPassword(),
    set: (token) => entry.setPassword(token),
    clear: () => {
      entry.deletePassword();
    },
  };
}

/** A store in `<dataDir>/sync-token`, readable by the owner only (0600), replaced atomically. */
export function fileTokenStore(dataDir: string): SyncTokenStore {
  const path = join(dataDir, FILE_NAME);
  return {
    kind: 'file',
    get: () => {
      if (!existsSync(path)) return null;
      const token = readFileSync(path, 'utf8').trim();
      return token.length > 0 ? token : null;
    },
    set: (token) => {
      const temp = `${path}.tmp`;
      // The mode applies at creation; chmod covers a leftover temp file from a crash.
      writeFileSync(temp, token, { mode: 0o600 });
      chmodSync(temp, 0o600);
      renameSync(temp, path);
    },
    clear: () => rmSync(path, { force: true }),
  };
}

/** A store that forgets everything when the process ends (tests). */
export function memoryTokenStore(initial: string | null = null): SyncTokenStore {
  let token = initial;
  return {
    kind: 'memory',
    get: () => token,
    set: (next) => {
      token = next;
    },
    clear: () => {
      token = null;
    },
  };
}

export type ChooseTokenStoreOptions = {
  readonly dataDir: string;
  /** The keyring account: one entry per data folder and device. */
  readonly account: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly openKeyring: KeyringFactory;
};

/**
 * Picks the keyring when it answers a read, else the file store. A token left
 * in the file by an earlier run without a keyring moves into the keyring, so
 * it never sits in two places.
 */
export function chooseTokenStore(options: ChooseTokenStoreOptions): SyncTokenStore {
  const file = fileTokenStore(options.dataDir);
  if (options.env.CLINICSYNC_TOKEN_STORE === 'file') return file;
  let keyring: SyncTokenStore;
  try {
    keyring = keyringTokenStore(options.openKeyring(SERVICE, options.account));
    keyring.get();
  } catch {
    // No Secret Service or kernel keyring reachable (headless Linux, containers).
    return file;
  }
  const leftover = file.get();
  if (leftover !== null) {
    try {
      keyring.set(leftover);
      file.clear();
    } catch {
      return file;
    }
  }
  return keyring;
}
