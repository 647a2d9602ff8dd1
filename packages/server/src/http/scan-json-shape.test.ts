import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJsonShape } from './scan-json-shape.ts';

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
