import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStoreKeys } from '../src/server/store-keys.ts';
import type { KeyringEntry } from '../src/server/token-store.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

const USER = '11111111-1111-4111-8111-111111111111';
/** A keyring that works, shared by the "processes" of one test. */
function memoryKeyring() {
  const values = new Map<string, string>();
  return (service: string, account: string): KeyringEntry => ({
    getPassword: () => values.get(`${service}/${account}`) ?? null,
    setPassword: (v) => void values.set(`${service}/${account}`, v),
    deletePassword: () => values.delete(`${service}/${account}`),
  });
}

function setup(
  dataDir = tempDir('keys'),
  extra: { keyring?: ReturnType<typeof memoryKeyring>; env?: Record<string, string> } = {},
) {
  const setAside: string[] = [];
  const keys = openStoreKeys({
    dataDir,
    deviceId: () => '22222222-2222-4222-8222-222222222222',
    env: extra.env ?? { CLINICSYNC_TOKEN_STORE: 'file' },
    openKeyring: extra.keyring,
    setAside: (userId, stamp) => void setAside.push(`${userId}@${stamp}`),
    now: () => new Date('2026-03-01T09:00:00.000Z'),
    log: () => {},
  });
  return { keys, dataDir, setAside };
}

describe('store keys', () => {
  it('creates a random key at the first sign-in, kept wrapped under the password in an owner-only file', async () => {
    const { keys, dataDir } = setup();
    expect(keys.keyFor(USER)).toBeNull();
    expect(await keys.unlockOnline(USER, 'correct horse')).toBe('created');
    const key = keys.keyFor(USER)!;
    expect(key).toHaveLength(32);
    const file = join(dataDir, 'store-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(key.toString('base64'));
    expect(text).not.toContain(key.toString('hex'));
    expect(text).not.toContain('correct horse');
  });

  it('after a restart holds no key until the password unwraps it, offline, and refuses a wrong password', async () => {
    const first = setup();
    await first.keys.unlockOnline(USER, 'correct horse');
    const key = first.keys.keyFor(USER)!;
    const restarted = setup(first.dataDir);
    expect(restarted.keys.resume(USER)).toBe(false);
    expect(restarted.keys.keyFor(USER)).toBeNull();
    expect(await restarted.keys.unlockOffline(USER, 'wrong horse')).toBe(false);
    expect(restarted.keys.keyFor(USER)).toBeNull();
    expect(await restarted.keys.unlockOffline(USER, 'correct horse')).toBe(true);
    expect(restarted.keys.keyFor(USER)).toEqual(key);
    // An entry is bound to its person: another person (whose password the offline verifier checked) gets a key of their own.
    const other = '33333333-3333-4333-8333-333333333333';
    expect(await restarted.keys.unlockOffline(other, 'correct horse')).toBe(true);
    expect(restarted.keys.keyFor(other)).not.toEqual(key);
  });

  it('re-wraps the same key under a changed password while it is held, so the store and its unsent changes stay', async () => {
    const first = setup();
    await first.keys.unlockOnline(USER, 'old password');
    const key = first.keys.keyFor(USER)!;
    expect(await first.keys.unlockOnline(USER, 'new password')).toBe('rewrapped');
    expect(first.keys.keyFor(USER)).toEqual(key);
    const restarted = setup(first.dataDir);
    expect(await restarted.keys.unlockOffline(USER, 'old password')).toBe(false);
    expect(await restarted.keys.unlockOffline(USER, 'new password')).toBe(true);
    expect(restarted.keys.keyFor(USER)).toEqual(key);
    expect(first.setAside).toEqual([]);
  });

  it('sets the store aside, keeping its old wrapped key, when the password changed while no copy of the key was held', async () => {
    const first = setup();
    await first.keys.unlockOnline(USER, 'old password');
    const oldKey = first.keys.keyFor(USER)!;
    const restarted = setup(first.dataDir);
    expect(await restarted.keys.unlockOnline(USER, 'new password')).toBe('set_aside');
    expect(restarted.setAside).toEqual([`${USER}@2026-03-01T09-00-00-000Z`]);
    expect(restarted.keys.keyFor(USER)).not.toEqual(oldKey);
    const entries = JSON.parse(readFileSync(join(first.dataDir, 'store-keys.json'), 'utf8'));
    expect(Object.keys(entries).sort()).toEqual([USER, `${USER}@2026-03-01T09-00-00-000Z`]);
  });

  it('with a working OS keyring, resumes after a restart without a password and re-wraps after a password change', async () => {
    const keyring = memoryKeyring();
    const first = setup(undefined, { keyring, env: {} });
    await first.keys.unlockOnline(USER, 'old password');
    const key = first.keys.keyFor(USER)!;
    const restarted = setup(first.dataDir, { keyring, env: {} });
    expect(restarted.keys.resume(USER)).toBe(true);
    expect(restarted.keys.keyFor(USER)).toEqual(key);
    const again = setup(first.dataDir, { keyring, env: {} });
    expect(await again.keys.unlockOnline(USER, 'new password')).toBe('rewrapped');
    expect(again.keys.keyFor(USER)).toEqual(key);
  });

  it('never keeps the key in a file when the keyring is off or failing', async () => {
    const failing = () => {
      throw new Error('GenericFailure');
    };
    const cases: { env: Record<string, string>; keyring: ReturnType<typeof memoryKeyring> }[] = [
      { env: { CLINICSYNC_TOKEN_STORE: 'file' }, keyring: memoryKeyring() },
      { env: {}, keyring: failing },
    ];
    for (const extra of cases) {
      const first = setup(undefined, extra);
      await first.keys.unlockOnline(USER, 'pw-pw-pw-pw');
      expect(setup(first.dataDir, extra).keys.resume(USER)).toBe(false);
    }
  });
});
