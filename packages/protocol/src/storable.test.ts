import { describe, expect, it } from 'vitest';
import { TABLES } from './registry/index.ts';
import { rowDataSchema } from './registry/row-schema.ts';
import { findUnstorable, isStorableText, MAX_STORED_INTEGER, storableName } from './storable.ts';

describe('storable values', () => {
  it('refuses NUL characters and unpaired surrogates, accepts any other text', () => {
    expect(isStorableText('Amina Okafor 😀 ü')).toBe(true);
    for (const bad of ['a\u0000b', '\ud800', 'x\udfffy']) expect(isStorableText(bad)).toBe(false);
    expect(storableName('a\u0000\ud800')).toBe('a\ufffd\ufffd');
  });

  it('finds unstorable text in keys and values, except under skipped keys', () => {
    expect(findUnstorable({ a: [1, { b: 'ok' }], c: 'x' })).toBeNull();
    expect(findUnstorable({ a: [1, { b: 'n\u0000' }] })).toBe('a.1.b');
    expect(findUnstorable({ 'k\u0000': 1 })).toBe('(key)');
    expect(findUnstorable({ events: [{ data: 'n\u0000' }], deviceName: 'ok' }, ['events'])).toBeNull();
  });

  it('walks any nesting a payload can carry without overflowing the stack', () => {
    let deep: unknown = 'n\u0000';
    for (let i = 0; i < 200_000; i++) deep = i % 2 === 0 ? [deep] : { a: deep };
    expect(findUnstorable(deep)).toMatch(/^(0|a)\./);
  });

  it('bounds every registry column to what the databases hold', () => {
    for (const spec of Object.values(TABLES)) {
      for (const [name, column] of Object.entries(spec.columns)) {
        const schema = rowDataSchema(spec, 'update');
        if (column.type === 'text')
          expect(schema.safeParse({ [name]: 'a\u0000' }).success, `${spec.name}.${name}`).toBe(false);
        if (column.type === 'integer')
          expect(schema.safeParse({ [name]: MAX_STORED_INTEGER + 1 }).success, `${spec.name}.${name}`).toBe(false);
      }
    }
  });
});
