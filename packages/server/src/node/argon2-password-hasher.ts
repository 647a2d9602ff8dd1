/** argon2id password hashing through `@node-rs/argon2` (PROTOCOL §1 "Passwords: argon2id"). */
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import type { PasswordHasher } from '../auth/password-hasher.ts';

// The binding declares its algorithms as an ambient const enum, which
// isolated modules cannot read; 2 is `Algorithm.Argon2id`.
const ARGON2ID = 2 as Algorithm;

/** argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane); costs can be raised per deployment. */
export function createArgon2PasswordHasher(options: { memoryCost?: number; timeCost?: number } = {}): PasswordHasher {
  const params = {
    algorithm: ARGON2ID,
    memoryCost: options.memoryCost ?? 19_456,
    timeCost: options.timeCost ?? 2,
    parallelism: 1,
  };
  return {
    hash: (password) => hash(password, params),
    // The parameters are read from the stored hash, so older hashes keep verifying after a cost change.
    verify: (stored, password) => verify(stored, password),
  };
}
