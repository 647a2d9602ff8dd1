/**
 * Where the device's sync token lives (PROTOCOL §1): the OS keyring, or a
 * 0600 file in the data folder when no keyring service is reachable (headless
 * Linux answers `GenericFailure`). `CLINICSYNC_TOKEN_STORE=file` forces the
 * file. The auth and refresh tokens never come here: they stay in memory.
 */
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type SyncTokenStore = {
  /** `keyring` or `file` (`browser`: the browser host's origin-private store): shown in the about panel and in logs. */
  readonly kind: 'keyring' | 'file' | 'memory' | 'browser';
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

/** A store in `<dataDir>/<fileName>`, readable by the owner only (0600), replaced atomically. */
export function fileTokenStore(dataDir: string, fileName = 'sync-token'): SyncTokenStore {
  const path = join(dataDir, fileName);
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
  /** The keyring account and fallback file name: one per device and user. */
  readonly account: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly openKeyring: KeyringFactory;
  /** Told once when the keyring fails and the file takes over. */
  readonly onFallback?: () => void;
};

/**
 * The keyring, falling back to the 0600 file the first time the keyring
 * fails. Some hosts open an entry and even read it but refuse to write
 * (`GenericFailure` from a locked or absent Secret Service), so every
 * operation, not only the first, may switch over.
 */
function keyringWithFallback(keyring: SyncTokenStore, file: SyncTokenStore, onFallback: () => void): SyncTokenStore {
  let active = keyring;
  const attempt = <T>(operation: (store: SyncTokenStore) => T): T => {
    if (active === file) return operation(file);
    try {
      return operation(keyring);
    } catch {
      active = file;
      onFallback();
      return operation(file);
    }
  };
  return {
    get kind() {
      return active.kind;
    },
    get: () => attempt((s) => s.get()),
    set: (token) => attempt((s) => s.set(token)),
    clear: () => {
      // Clear both: a token must not survive in the place not currently used.
      file.clear();
      if (active === keyring) attempt((s) => s.clear());
    },
  };
}

/**
 * Picks the keyring unless `CLINICSYNC_TOKEN_STORE=file`; the file takes over
 * whenever the keyring fails. A token left in the file by an earlier run
 * without a keyring moves into the keyring, so it never sits in two places.
 */
export function chooseTokenStore(options: ChooseTokenStoreOptions): SyncTokenStore {
  const file = fileTokenStore(options.dataDir, `sync-token-${options.account.replace(/[^A-Za-z0-9-]/g, '_')}`);
  if (options.env.CLINICSYNC_TOKEN_STORE === 'file') return file;
  let keyring: SyncTokenStore;
  try {
    keyring = keyringTokenStore(options.openKeyring(SERVICE, options.account));
    keyring.get();
  } catch {
    // No Secret Service or kernel keyring reachable (headless Linux, containers).
    options.onFallback?.();
    return file;
  }
  const leftover = file.get();
  if (leftover !== null) {
    try {
      keyring.set(leftover);
      file.clear();
    } catch {
      options.onFallback?.();
      return file;
    }
  }
  return keyringWithFallback(keyring, file, options.onFallback ?? (() => {}));
}
