import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { randomIds } from './desktop-deps.ts';
import {
  drawLaunchAccess,
  OPEN_URL_FILE,
  openUrl,
  readCookie,
  removeOpenUrlFile,
  sameValue,
  writeOpenUrlFile,
} from './launch-access.ts';
import { tempDir } from '../../../../test/support/temp-dir.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('launch access', () => {
  it('draws a distinct code and secret of 256 bits each', () => {
    const access = drawLaunchAccess((n) => randomIds.randomToken(n));
    expect(access.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(access.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(access.code).not.toBe(access.secret);
  });

  it('writes the URL to open into an owner-only file, also over a world-readable leftover, and removes it', () => {
    const dir = tempDir('launch');
    dirs.push(dir);
    writeFileSync(join(dir, `${OPEN_URL_FILE}.tmp`), 'old', { mode: 0o644 });
    const url = openUrl(5173, 'abc_-123');
    const path = writeOpenUrlFile(dir, url);
    expect(readFileSync(path, 'utf8')).toBe(`${url}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    removeOpenUrlFile(dir);
    expect(() => statSync(path)).toThrow();
  });

  it('reads one cookie by exact name and compares values in constant time', () => {
    expect(readCookie('a=1; clinicsync_launch_5173=s3cr3t; b=2', 'clinicsync_launch_5173')).toBe('s3cr3t');
    expect(readCookie('xclinicsync_launch_5173=s3cr3t', 'clinicsync_launch_5173')).toBeUndefined();
    expect(readCookie(undefined, 'x')).toBeUndefined();
    expect(sameValue('abc', 'abc')).toBe(true);
    expect(sameValue('abd', 'abc')).toBe(false);
    expect(sameValue(undefined, 'abc')).toBe(false);
  });
});
