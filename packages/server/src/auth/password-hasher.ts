/**
 * The one thing the account code needs from a password hashing scheme, so the
 * Node-only argon2 binding can be swapped for another host (docs/architecture.md, principle 7).
 */
export type PasswordHasher = {
  /** A self-describing hash (PHC string) of `password`, salted. */
  hash(password: string): Promise<string>;
  /** Whether `password` matches `hash`; false for any mismatch. */
  verify(hash: string, password: string): Promise<boolean>;
};
