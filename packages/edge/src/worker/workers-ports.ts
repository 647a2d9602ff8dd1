/**
 * The Workers implementations of the server's runtime ports
 * (docs/architecture.md, principle 7): the runtime's synchronous `node:crypto` hashes (the
 * `nodejs_compat` flag; WebCrypto has no synchronous digest), PBKDF2 through
 * WebCrypto for passwords (argon2's native binding cannot load here),
 * `CF-Connecting-IP` as the caller's address, and the reference page's
 * files bundled into the Worker.
 */
import {
  createPbkdf2PasswordHasher,
  type DocsAssets,
  type Hashing,
  type RemoteAddress,
  type ServerDeps,
} from '@clinicsync/server/core';
import { createHash, createHmac } from 'node:crypto';
import swaggerAssets from 'clinicsync:swagger-assets';

export const workersHashing: Hashing = {
  sha256Hex: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
  hmacSha256: (key, message) => new Uint8Array(createHmac('sha256', key).update(message, 'utf8').digest()),
};

/**
 * Cloudflare sets `CF-Connecting-IP` to the client's address on every request
 * (a client cannot choose it); locally, `clinicsync-edge` sets it from the
 * connection the same way (PROTOCOL §7).
 */
export const workersRemoteAddress: RemoteAddress = (c) => c.req.header('cf-connecting-ip') ?? undefined;

/** The Swagger UI files, embedded as base64 by the build, decoded on first request. */
export const workersDocsAssets: DocsAssets = async (name) => {
  const encoded = Object.hasOwn(swaggerAssets, name) ? swaggerAssets[name] : undefined;
  if (encoded === undefined) return undefined;
  return Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
};

export function workersPorts(): Pick<ServerDeps, 'hashing' | 'passwords' | 'remoteAddress' | 'docsAssets'> {
  return {
    hashing: workersHashing,
    passwords: createPbkdf2PasswordHasher(),
    remoteAddress: workersRemoteAddress,
    docsAssets: workersDocsAssets,
  };
}
