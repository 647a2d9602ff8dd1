/**
 * Password hashing with PBKDF2-HMAC-SHA-256 through WebCrypto, for runtimes
 * where argon2's native binding cannot load (the Workers runtime). argon2id
 * (PROTOCOL §1) stays the scheme on Node; this one is what WebCrypto offers
 * everywhere. 100,000 iterations is the most the Workers runtime's WebCrypto
 * accepts; with a 16-byte random salt and a 32-byte key. Hashes are
 * self-describing (`$pbkdf2-sha256$i=100000$<salt>$<key>`, base64 without
 * padding), so a later cost change keeps older hashes verifying.
 * docs/decisions records the choice and how argon2 hashes are handled.
 */
import { decodeBase64, encodeBase64, sameBytes } from '@clinicsync/protocol';
import type { PasswordHasher } from './password-hasher.ts';

export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const KEY_BITS = 256;
const PREFIX = '$pbkdf2-sha256$';

/** Whether `stored` is a hash this scheme made. */
export function isPbkdf2Hash(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export function createPbkdf2PasswordHasher(options: { iterations?: number } = {}): PasswordHasher {
  const iterations = options.iterations ?? PBKDF2_ITERATIONS;
  return {
    async hash(password) {
      const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
      const key = await derive(password, salt, iterations);
      return `${PREFIX}i=${iterations}$${unpadded(salt)}$${unpadded(key)}`;
    },
    async verify(stored, password) {
      const parsed = parseHash(stored);
      if (!parsed) return false;
      const key = await derive(password, parsed.salt, parsed.iterations);
      return sameBytes(key, parsed.key);
    },
  };
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations },
    material,
    KEY_BITS,
  );
  return new Uint8Array(bits);
}

function parseHash(stored: string): { iterations: number; salt: Uint8Array; key: Uint8Array } | undefined {
  const match = /^\$pbkdf2-sha256\$i=(\d{1,7})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
  if (!match) return undefined;
  const iterations = Number(match[1]);
  // A stored cost the runtime would refuse, or one too small to mean anything, is not ours.
  if (iterations < 1_000 || iterations > PBKDF2_ITERATIONS) return undefined;
  const salt = decodeBase64(match[2]!);
  const key = decodeBase64(match[3]!);
  return salt && key ? { iterations, salt, key } : undefined;
}

function unpadded(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/=+$/, '');
}
