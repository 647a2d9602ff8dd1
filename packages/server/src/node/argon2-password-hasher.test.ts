import { describe, expect, it } from 'vitest';
import { createArgon2PasswordHasher } from './argon2-password-hasher.ts';

describe('argon2 password hasher', () => {
  const hasher = createArgon2PasswordHasher();

  it('produces salted argon2id hashes that verify only the right password', async () => {
    const a = await hasher.hash('correct horse battery');
    const b = await hasher.hash('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify(a, 'correct horse battery')).toBe(true);
    expect(await hasher.verify(a, 'correct horse batterY')).toBe(false);
  });

  it('verifies hashes made with older costs', async () => {
    const old = await createArgon2PasswordHasher({ memoryCost: 8192, timeCost: 1 }).hash('an older password');
    expect(await hasher.verify(old, 'an older password')).toBe(true);
  });
});
