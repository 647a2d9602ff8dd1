/**
 * The hashes the server core needs, synchronous, as a port
 * (docs/architecture.md, principle 7): token and rate-limit keys, event fingerprints and key derivation.
 * WebCrypto has no synchronous digest, and an `await` per token or event
 * costs the push path measurably (bench/README.md), so each composition root
 * passes its runtime's built-in hash: `node:crypto` on Node
 * (`node/node-hashing.ts`), the Workers runtime's own on the edge.
 */
export type Hashing = {
  /** Lowercase hex SHA-256 of `text` as UTF-8. */
  sha256Hex(text: string): string;
  /** HMAC-SHA-256 of `message` (UTF-8) under `key`. */
  hmacSha256(key: Uint8Array, message: string): Uint8Array;
};
