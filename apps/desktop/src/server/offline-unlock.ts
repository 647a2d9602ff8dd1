/**
 * Signing in without the server. After every successful online sign-in the
 * desktop keeps a scrypt verifier of the password (never the password) for
 * that email in `<dataDir>/offline-unlock.json` (0600). When the server cannot
 * be reached, a matching password opens an offline session on that person's
 * local store, so a clinic whose connection is down can still start the app.
 *
 * What it costs: the verifier sits next to the local store, which already
 * holds the same patient data in the same owner-only folder, so a copied
 * folder reveals no more records through it. It does allow guessing the
 * person's server password offline; scrypt with a memory-hard cost (64 MiB,
 * a few hundred milliseconds a guess) keeps that slow, and a long passphrase
 * keeps it hopeless (docs/security.md). A password changed on the server
 * takes effect here at the next online sign-in.
 */
import type { User } from '@clinicsync/protocol';
import { userSchema } from '@clinicsync/protocol';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

// Stored with each verifier, so raising the cost later keeps old verifiers working.
const PARAMS = { N: 2 ** 16, r: 8, p: 1, keylen: 32 } as const;

const entrySchema = z.object({
  user: userSchema,
  salt: z.string(),
  hash: z.string(),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
});
const fileSchema = z.record(z.string(), entrySchema);

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, PARAMS.keylen, { ...params, maxmem: 256 * params.N * params.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export type OfflineUnlock = {
  /** Stores a verifier for `email` after the server accepted `password`. */
  remember(email: string, user: User, password: string): Promise<void>;
  /** The user whose verifier `password` matches, or null (unknown email, wrong password). */
  verify(email: string, password: string): Promise<User | null>;
};

/** The verifier store of one data folder. */
export function openOfflineUnlock(dataDir: string): OfflineUnlock {
  const path = join(dataDir, 'offline-unlock.json');
  const read = () => {
    if (!existsSync(path)) return {};
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    // A damaged file only disables offline sign-in until the next online one rewrites it.
    return parsed.success ? parsed.data : {};
  };
  const key = (email: string) => email.trim().toLowerCase();
  return {
    async remember(email, user, password) {
      const salt = randomBytes(16);
      const hash = await derive(password, salt, PARAMS);
      const entries = {
        ...read(),
        [key(email)]: {
          user,
          salt: salt.toString('base64'),
          hash: hash.toString('base64'),
          N: PARAMS.N,
          r: PARAMS.r,
          p: PARAMS.p,
        },
      };
      writeFileSync(`${path}.tmp`, JSON.stringify(entries), { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    },
    async verify(email, password) {
      const entry = read()[key(email)];
      // Unknown emails cost the same as wrong passwords.
      const salt = entry ? Buffer.from(entry.salt, 'base64') : randomBytes(16);
      const derived = await derive(password, salt, entry ?? PARAMS);
      if (!entry) return null;
      const expected = Buffer.from(entry.hash, 'base64');
      return expected.length === derived.length && timingSafeEqual(expected, derived) ? (entry.user as User) : null;
    },
  };
}
