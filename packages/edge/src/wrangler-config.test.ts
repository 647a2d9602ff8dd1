import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from './start-edge.ts';

const toml = readFileSync(new URL('../wrangler.toml', import.meta.url), 'utf8');

function value(key: string): string | undefined {
  return new RegExp(`^${key}\\s*=\\s*(.+)$`, 'm').exec(toml)?.[1]?.trim();
}

describe('wrangler.toml', () => {
  it('deploys with the compatibility settings clinicsync-edge runs locally', () => {
    expect(value('compatibility_date')).toBe(`"${COMPATIBILITY_DATE}"`);
    expect(JSON.parse(value('compatibility_flags') ?? '[]')).toEqual([...COMPATIBILITY_FLAGS]);
  });

  it('binds the data object by the names the Worker uses, as a SQLite-backed class', () => {
    expect(toml).toMatch(
      /\[\[durable_objects\.bindings\]\]\s+name = "CLINICSYNC_DATA"\s+class_name = "ClinicSyncData"/,
    );
    expect(toml).toMatch(/new_sqlite_classes = \["ClinicSyncData"\]/);
  });

  it('ships the bundle clinicsync-edge runs, built by the same script', () => {
    expect(value('main')).toBe('"dist/worker.js"');
    expect(value('command')).toBe('"node bin/build-worker.js"');
  });
});
