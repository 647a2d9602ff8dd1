/** `Hashing` on Node's built-in `node:crypto` (the synchronous hashes the core asks for). */
import { createHash, createHmac } from 'node:crypto';
import type { Hashing } from '../hashing.ts';

export const nodeHashing: Hashing = {
  sha256Hex: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
  hmacSha256: (key, message) => new Uint8Array(createHmac('sha256', key).update(message, 'utf8').digest()),
};
