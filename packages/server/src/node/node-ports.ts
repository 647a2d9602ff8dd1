/** The Node implementations of the server's runtime ports, for `start-server.ts` and in-process tests. */
import type { PasswordHasher } from '../auth/password-hasher.ts';
import { createPbkdf2PasswordHasher, isPbkdf2Hash } from '../auth/pbkdf2-password-hasher.ts';
import type { ServerDeps } from '../server-deps.ts';
import { createArgon2PasswordHasher } from './argon2-password-hasher.ts';
import { nodeHashing } from './node-hashing.ts';
import { nodeRemoteAddress } from './node-remote-address.ts';
import { nodeSwaggerAssets } from './swagger-assets.ts';

export function nodePorts(): Pick<ServerDeps, 'hashing' | 'passwords' | 'remoteAddress' | 'docsAssets'> {
  return {
    hashing: nodeHashing,
    passwords: nodePasswordHasher(),
    remoteAddress: nodeRemoteAddress,
    docsAssets: nodeSwaggerAssets,
  };
}

/** argon2id for new hashes; PBKDF2 hashes made on the Workers runtime still verify, so accounts can move to Node. */
export function nodePasswordHasher(): PasswordHasher {
  const argon2 = createArgon2PasswordHasher();
  const pbkdf2 = createPbkdf2PasswordHasher();
  return {
    hash: argon2.hash,
    verify: (stored, password) =>
      isPbkdf2Hash(stored) ? pbkdf2.verify(stored, password) : argon2.verify(stored, password),
  };
}
