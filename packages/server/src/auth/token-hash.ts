/**
 * Opaque secrets (sync and refresh tokens) are 256-bit random strings; the
 * server keeps only their SHA-256, so a database leak yields no usable token.
 */
import type { Ids } from '../deps.ts';
import type { Hashing } from '../hashing.ts';

/** Bytes of randomness in every opaque token (256 bits). */
export const OPAQUE_TOKEN_BYTES = 32;

/** A new opaque token (base64url, 43 characters). */
export function newOpaqueToken(ids: Pick<Ids, 'randomToken'>): string {
  return ids.randomToken(OPAQUE_TOKEN_BYTES);
}

/** SHA-256 of a token as lowercase hex: the only form a token is stored or looked up in. */
export function hashToken(hashing: Pick<Hashing, 'sha256Hex'>, token: string): string {
  return hashing.sha256Hex(token);
}
