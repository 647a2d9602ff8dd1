/**
 * Server secrets: the key that signs auth tokens (JWT, HS256) and pull cursors,
 * derived from one secret. Where the secret comes from is the composition
 * root's business: env or a 0600 file on Node (`node/load-secrets.ts`), a
 * Workers secret on the edge.
 */
import type { Hashing } from './hashing.ts';

export type Secrets = {
  /** HMAC key for auth tokens. */
  readonly jwtKey: Uint8Array;
  /** HMAC key for pull cursors, derived separately so one key never signs two kinds of thing. */
  readonly cursorKey: Uint8Array;
};

export const MIN_SECRET_BYTES = 32;

/** Derives the keys from the secret's bytes; throws when it is shorter than 32 bytes. */
export function secretsFromMaterial(material: Uint8Array, hashing: Pick<Hashing, 'hmacSha256'>): Secrets {
  if (material.length < MIN_SECRET_BYTES)
    throw new Error(`the server secret must be at least ${MIN_SECRET_BYTES} bytes`);
  // Key separation: HMAC(material, purpose).
  return {
    jwtKey: hashing.hmacSha256(material, 'clinicsync:auth-token'),
    cursorKey: hashing.hmacSha256(material, 'clinicsync:pull-cursor'),
  };
}
