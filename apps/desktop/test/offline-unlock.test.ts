import type { User } from '@clinicsync/protocol';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOfflineUnlock } from '../src/server/offline-unlock.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

const USER = { id: '11111111-1111-4111-8111-111111111111', email: 'ada@example.org', name: 'Ada' } as User;

describe('offline sign-in verifier', () => {
  it('recognises the password the server accepted, and only that one', async () => {
    const dir = tempDir('unlock');
    const unlock = openOfflineUnlock(dir);
    await unlock.remember('Ada@Example.org', USER, 'correct horse battery');
    expect(await unlock.verify('ada@example.org', 'correct horse battery')).toEqual(USER);
    expect(await unlock.verify('ada@example.org', 'correct horse batterY')).toBeNull();
    expect(await unlock.verify('ben@example.org', 'correct horse battery')).toBeNull();
  });

  it('keeps a salted hash in an owner-only file, never the password', async () => {
    const dir = tempDir('unlock');
    await openOfflineUnlock(dir).remember('ada@example.org', USER, 'correct horse battery');
    const path = join(dir, 'offline-unlock.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toContain('correct horse battery');
  });
});
