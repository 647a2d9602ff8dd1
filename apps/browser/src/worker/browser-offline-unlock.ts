/**
 * Offline sign-in in the browser, the counterpart of the desktop's
 * offline-unlock.ts: after every online sign-in a verifier of the password
 * (never the password) is kept in the device store; with the server out of
 * reach a matching password opens an offline session on that person's store.
 *
 * WebCrypto has no scrypt, so the verifier is PBKDF2-HMAC-SHA-256 with
 * 600,000 iterations (the current OWASP figure), a random 16-byte salt, and
 * the iteration count stored with it so a later raise keeps old verifiers
 * working. It sits in the same origin-private storage as the records it
 * unlocks (docs/browser-app.md, "Security model").
 */
import { decodeBase64, encodeBase64, sameBytes, userSchema, type User } from '@clinicsync/protocol';
import type { OfflineUnlock } from '@clinicsync/desktop/src/server/offline-unlock.ts';
import { z } from 'zod';
import type { DeviceStore } from './device-store.ts';

const ITERATIONS = 600_000;

const entrySchema = z.object({
  user: userSchema,
  salt: z.string(),
  hash: z.string(),
  iterations: z.number().int().min(1),
});
const fileSchema = z.record(z.string(), entrySchema);

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

/** The verifier store of this device. */
export function browserOfflineUnlock(store: DeviceStore, iterations = ITERATIONS): OfflineUnlock {
  const read = () => {
    const parsed = fileSchema.safeParse(JSON.parse(store.read('offline-unlock') ?? '{}'));
    // A damaged entry only disables offline sign-in until the next online one rewrites it.
    return parsed.success ? parsed.data : {};
  };
  const key = (email: string) => email.trim().toLowerCase();
  return {
    async remember(email, user, password) {
      const salt = crypto.getRandomValues(new Uint8Array(16));
      const hash = await derive(password, salt, iterations);
      const entries = {
        ...read(),
        [key(email)]: { user, salt: encodeBase64(salt), hash: encodeBase64(hash), iterations },
      };
      store.write('offline-unlock', JSON.stringify(entries));
    },
    async verify(email, password) {
      const entry = read()[key(email)];
      // Unknown emails cost the same as wrong passwords.
      const derived = await derive(
        password,
        // A damaged salt derives from fresh randomness and so matches nothing, like an unknown email.
        (entry && decodeBase64(entry.salt)) || crypto.getRandomValues(new Uint8Array(16)),
        entry?.iterations ?? iterations,
      );
      if (!entry) return null;
      const stored = decodeBase64(entry.hash);
      return stored && sameBytes(stored, derived) ? (entry.user as User) : null;
    },
  };
}
