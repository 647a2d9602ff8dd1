import { describe, expect, it } from 'vitest';
import { createPbkdf2PasswordHasher, isPbkdf2Hash, PBKDF2_ITERATIONS } from './pbkdf2-password-hasher.ts';

describe('PBKDF2 password hasher', () => {
  const hasher = createPbkdf2PasswordHasher();

  it('produces salted, self-describing hashes that verify only the right password', async () => {
    const a = await hasher.hash('correct horse battery');
    const b = await hasher.hash('correct horse battery');
    expect(a).toMatch(
      new RegExp(`^\\$pbkdf2-sha256\\$i=${PBKDF2_ITERATIONS}\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$`),
    );
    expect(a).not.toBe(b);
    expect(isPbkdf2Hash(a)).toBe(true);
    expect(await hasher.verify(a, 'correct horse battery')).toBe(true);
    expect(await hasher.verify(a, 'correct horse batter')).toBe(false);
    expect(await hasher.verify(a, '')).toBe(false);
  });

  it('keeps verifying hashes made with an older iteration count', async () => {
    const older = await createPbkdf2PasswordHasher({ iterations: 10_000 }).hash('s3cret passphrase');
    expect(await hasher.verify(older, 's3cret passphrase')).toBe(true);
  });

  it('answers false, never throws, for hashes of other schemes and for tampered hashes', async () => {
    const good = await hasher.hash('pw of some length');
    for (const stored of [
      '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
      '',
      good.replace(`i=${PBKDF2_ITERATIONS}`, 'i=999'),
      good.replace(`i=${PBKDF2_ITERATIONS}`, 'i=99999999'),
      `${good}$extra`,
      good.slice(0, -4),
    ]) {
      expect(await hasher.verify(stored, 'pw of some length')).toBe(false);
    }
  });
});
