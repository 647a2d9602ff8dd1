/** `Hashing` on Node's built-in `node:crypto` (the synchronous hashes the core asks for). */
import { createHmac, hash } from 'node:crypto';
import type { Hashing } from '../hashing.ts';

export const nodeHashing: Hashing = {
  // The one-shot digest: no Hash object per call (a push hashes every event's fingerprint).
  sha256Hex: (text) => hash('sha256', text, 'hex'),
  hmacSha256: (key, message) => new Uint8Array(createHmac('sha256', key).update(message, 'utf8').digest()),
};
