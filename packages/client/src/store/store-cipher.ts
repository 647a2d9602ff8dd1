/**
 * How a local store file is encrypted at rest (PROTOCOL §9, docs/decisions):
 * SQLite3 Multiple Ciphers (better-sqlite3-multiple-ciphers) with the
 * SQLCipher 4 scheme: every page, of the database and of its WAL and
 * journal, is AES-256-CBC encrypted and authenticated with HMAC-SHA512. The
 * key is 256 random bits given raw (`x'…'`), so no password KDF runs on open:
 * the key management (docs/security.md) already made the key expensive to
 * reach.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { StoreKeyError } from '../errors.ts';

/** A store key: exactly 32 random bytes. */
export type StoreKey = Uint8Array;

/** The connection type of the encryption build. */
export type CipherDatabase = Database.Database;

const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export type StoreFileState = 'absent' | 'plaintext' | 'encrypted';

/** Tells an unencrypted SQLite file (its fixed 16-byte header) from an encrypted one (random salt). Empty counts as absent. */
export function storeFileState(path: string): StoreFileState {
  if (!existsSync(path) || statSync(path).size === 0) return 'absent';
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.equals(PLAIN_HEADER) ? 'plaintext' : 'encrypted';
}

function assertKey(key: StoreKey): void {
  if (key.length !== 32) throw new TypeError('A store key is 32 bytes.');
}

/** The raw-key literal for `PRAGMA key`/`rekey`; hex only, so nothing can be injected. */
function keyLiteral(key: StoreKey): string {
  assertKey(key);
  return `"x'${Buffer.from(key).toString('hex')}'"`;
}

/** The cipher scheme's pragmas; they must run before `key` or `rekey` on every connection. */
const CIPHER_PRAGMAS = [`cipher = 'sqlcipher'`, 'legacy = 4'] as const;

function selectCipher(db: CipherDatabase): void {
  for (const pragma of CIPHER_PRAGMAS) db.pragma(pragma);
}

/**
 * What unlocks a connection to the store: the cipher scheme, then the key.
 * Also run by the background checkpoint's own connection (background-checkpoint.ts);
 * the list holds the key, so it is kept in memory only.
 */
export function storeKeyPragmas(key: StoreKey): string[] {
  return [...CIPHER_PRAGMAS, `key = ${keyLiteral(key)}`];
}

/** Unlocks an open connection with `key`; throws StoreKeyError when the file does not open with it. */
export function applyStoreKey(db: CipherDatabase, key: StoreKey): void {
  for (const pragma of storeKeyPragmas(key)) db.pragma(pragma);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (cause) {
    throw new StoreKeyError('The local store does not open with this key.', { cause });
  }
}

/** Encrypts an unencrypted database that is open without a key and in rollback-journal mode (sqlite3mc cannot rekey in WAL mode). */
export function encryptOpenDatabase(db: CipherDatabase, key: StoreKey): void {
  selectCipher(db);
  db.pragma(`rekey = ${keyLiteral(key)}`);
}
