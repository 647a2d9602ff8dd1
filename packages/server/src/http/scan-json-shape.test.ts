import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countOwnKeys, scanJson, scanJsonShape } from './scan-json-shape.ts';

const limits = { maxKeysPerObject: 3, maxDepth: 4 };

describe('scanJsonShape', () => {
  it.each([
    ['{"a":1,"b":2,"c":3}', null],
    ['{"a":1,"b":2,"c":3,"d":4}', 'too_many_keys'],
    ['[{"a":1},{"b":1},{"c":1},{"d":1},{"e":1}]', null],
    ['{"a":{"b":{"c":{"d":1}}}}', null],
    ['{"a":{"b":{"c":{"d":{"e":1}}}}}', 'too_deep'],
    ['[[[[[1]]]]]', 'too_deep'],
    // Colons and brackets inside strings are text, escaped quotes included.
    ['{"a":"x:y:z:w","b":"{[{[{[","c":"\\"::::\\""}', null],
  ])('%s → %s', (text, expected) => {
    expect(scanJsonShape(text, limits)).toBe(expected);
  });

  it('agrees with a count over the parsed value for any JSON', () => {
    const deepest = (v: unknown): number =>
      typeof v === 'object' && v !== null ? 1 + Math.max(0, ...Object.values(v).map(deepest)) : 0;
    const widest = (v: unknown): number =>
      typeof v === 'object' && v !== null
        ? Math.max(Array.isArray(v) ? 0 : Object.keys(v).length, ...Object.values(v).map(widest))
        : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        const expected =
          deepest(value) > limits.maxDepth
            ? 'too_deep'
            : widest(value) > limits.maxKeysPerObject
              ? 'too_many_keys'
              : null;
        const found = scanJsonShape(text, limits);
        // Both limits may be broken; the scan names the first it meets.
        if (expected === null) expect(found).toBeNull();
        else expect(found).not.toBeNull();
      }),
    );
  });
});

describe('scanJson keys and countOwnKeys', () => {
  const unlimited = { maxKeysPerObject: Number.POSITIVE_INFINITY, maxDepth: Number.POSITIVE_INFINITY };

  it('counts as many keys in the text as the parsed value holds, for any JSON without a repeated key', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        expect(scanJson(text, unlimited).keys).toBe(countOwnKeys(JSON.parse(text)));
      }),
    );
  });

  it.each([
    '{"deviceId":"a","deviceId":"b"}',
    '{"events":[{"data":{"given_name":"A","given_name":"B"}}]}',
    // The same key written two ways is the same key once parsed.
    '{"a":1,"\\u0061":2}',
    '{"__proto__":1,"__proto__":2}',
  ])('tells a repeated key from the count: %s', (text) => {
    expect(countOwnKeys(JSON.parse(text))).toBeLessThan(scanJson(text, unlimited).keys);
  });
});
