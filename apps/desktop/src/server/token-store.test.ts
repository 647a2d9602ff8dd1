import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseTokenStore, fileTokenStore, type KeyringEntry, type KeyringFactory } from './token-store.ts';
import { tempDir } from '../../../../test/support/temp-dir.ts';

function memoryKeyring(): { factory: KeyringFactory; entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const factory: KeyringFactory = (service, account) => {
    const key = `${service}/${account}`;
    const entry: KeyringEntry = {
      getPassword: () => entries.get(key) ?? null,
      setPassword: (p) => void entries.set(key, p),
      deletePassword: () => entries.delete(key),
    };
    return entry;
  };
  return { factory, entries };
}

const brokenKeyring: KeyringFactory = () => ({
  getPassword: () => {
    throw Object.assign(new Error("Couldn't access platform storage"), { code: 'GenericFailure' });
  },
  setPassword: () => {
    throw new Error('unreachable');
  },
  deletePassword: () => false,
});

describe('sync token store', () => {
  it('keeps the token in the keyring when one answers', () => {
    const keyring = memoryKeyring();
    const dataDir = tempDir('token');
    const store = chooseTokenStore({ dataDir, account: 'device-1', env: {}, openKeyring: keyring.factory });
    expect(store.kind).toBe('keyring');
    store.set('secret-sync-token');
    expect(store.get()).toBe('secret-sync-token');
    expect([...keyring.entries.values()]).toEqual(['secret-sync-token']);
    expect(fileTokenStore(dataDir, 'sync-token-device-1').get()).toBeNull();
    store.clear();
    expect(store.get()).toBeNull();
  });

  it('falls back to a file readable only by its owner when the keyring throws', () => {
    const dataDir = tempDir('token');
    const store = chooseTokenStore({ dataDir, account: 'device-1', env: {}, openKeyring: brokenKeyring });
    expect(store.kind).toBe('file');
    store.set('secret-sync-token');
    expect(store.get()).toBe('secret-sync-token');
    expect(statSync(join(dataDir, 'sync-token-device-1')).mode & 0o777).toBe(0o600);
    store.clear();
    expect(store.get()).toBeNull();
  });

  it('switches to the file when the keyring opens and reads but refuses to store', () => {
    const dataDir = tempDir('token');
    const readOnly: KeyringFactory = () => ({
      getPassword: () => null,
      setPassword: () => {
        throw Object.assign(new Error("Couldn't access platform storage"), { code: 'GenericFailure' });
      },
      deletePassword: () => false,
    });
    let fellBack = 0;
    const store = chooseTokenStore({
      dataDir,
      account: 'device-1',
      env: {},
      openKeyring: readOnly,
      onFallback: () => (fellBack += 1),
    });
    store.set('secret-sync-token');
    expect(store.kind).toBe('file');
    expect(fellBack).toBe(1);
    expect(store.get()).toBe('secret-sync-token');
    expect(statSync(join(dataDir, 'sync-token-device-1')).mode & 0o777).toBe(0o600);
  });

  it('uses the file when CLINICSYNC_TOKEN_STORE=file, even with a working keyring', () => {
    const keyring = memoryKeyring();
    const store = chooseTokenStore({
      dataDir: tempDir('token'),
      account: 'd',
      env: { CLINICSYNC_TOKEN_STORE: 'file' },
      openKeyring: keyring.factory,
    });
    expect(store.kind).toBe('file');
    store.set('x');
    expect(keyring.entries.size).toBe(0);
  });

  it('moves a token left in the file into the keyring once the keyring works', () => {
    const dataDir = tempDir('token');
    fileTokenStore(dataDir, 'sync-token-d').set('older-token');
    const keyring = memoryKeyring();
    const store = chooseTokenStore({ dataDir, account: 'd', env: {}, openKeyring: keyring.factory });
    expect(store.kind).toBe('keyring');
    expect(store.get()).toBe('older-token');
    expect(fileTokenStore(dataDir, 'sync-token-d').get()).toBeNull();
  });
});
