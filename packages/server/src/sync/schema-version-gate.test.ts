import { z } from 'zod';
import { ApiError, SCHEMA_VERSION } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { checkSchemaVersion, schemaVersionOfQuery } from './schema-version-gate.ts';

function answer(schemaVersion: unknown, minSupported = 2): { status: number; code: string } | 'passes' {
  try {
    checkSchemaVersion(schemaVersion, minSupported);
    return 'passes';
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { status: error.status, code: error.code };
  }
}

describe('checkSchemaVersion', () => {
  it('passes every version from the minimum to the current one', () => {
    for (let version = 2; version <= SCHEMA_VERSION; version++) expect(answer(version)).toBe('passes');
  });

  it('answers 426 schema_upgrade_required below the minimum, 0 and negatives included', () => {
    for (const version of [1, 0, -1, Number.MIN_SAFE_INTEGER])
      expect(answer(version)).toEqual({ status: 426, code: 'schema_upgrade_required' });
  });

  it('answers 400 invalid_request above the current version', () => {
    for (const version of [SCHEMA_VERSION + 1, Number.MAX_SAFE_INTEGER])
      expect(answer(version)).toEqual({ status: 400, code: 'invalid_request' });
  });

  it('leaves what is not an integer to the request schema', () => {
    for (const value of [undefined, null, '1', 1.5, Number.NaN, Number.POSITIVE_INFINITY, {}])
      expect(answer(value)).toBe('passes');
  });

  it('names the minimum and the current version for the client', () => {
    try {
      checkSchemaVersion(0, 2);
      expect.unreachable();
    } catch (error) {
      expect((error as ApiError).details).toEqual({ minSupported: 2, current: SCHEMA_VERSION });
    }
  });
});

describe('schemaVersionOfQuery', () => {
  it('reads a version as the pull query schema reads it, so the two never disagree', () => {
    expect(schemaVersionOfQuery('3')).toBe(3);
    expect(schemaVersionOfQuery('0')).toBe(0);
    expect(schemaVersionOfQuery('-2')).toBe(-2);
    for (const [text, version] of [
      ['0.0', 0],
      ['0x0', 0],
      ['4e0', 4],
      ['1e3', 1000],
      [' 3 ', 3],
      ['1.5', 1.5],
    ] as const) {
      expect(schemaVersionOfQuery(text)).toBe(version);
      expect(schemaVersionOfQuery(text)).toBe(z.coerce.number().parse(text));
    }
    for (const text of [undefined, '', ' ', 'abc', 'Infinity']) expect(schemaVersionOfQuery(text)).toBeUndefined();
  });
});
