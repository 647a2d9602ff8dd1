import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sequentialIds } from './desktop-deps.ts';
import { ensureDataFolder, loadDeviceIdentity, saveDeviceIdentity } from './device-identity.ts';
import { tempDir } from '../../../../test/support/temp-dir.ts';

describe('device identity', () => {
  it('keeps the same device id across launches', () => {
    const dataDir = join(tempDir('device'), 'desktop');
    ensureDataFolder(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const first = loadDeviceIdentity(dataDir, sequentialIds(), 'front-desk');
    saveDeviceIdentity(dataDir, { ...first, syncUserId: '11111111-1111-4111-8111-111111111111' });
    const second = loadDeviceIdentity(dataDir, { newId: () => 'not-used', randomToken: () => '' }, 'other');
    expect(second.deviceId).toBe(first.deviceId);
    expect(second.deviceName).toBe('front-desk');
    expect(second.syncUserId).toBe('11111111-1111-4111-8111-111111111111');
  });
});
