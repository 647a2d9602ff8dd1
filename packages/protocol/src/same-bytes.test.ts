import { describe, expect, it } from 'vitest';
import { sameBytes } from './same-bytes.ts';

describe('sameBytes', () => {
  it('is true only for the same bytes', () => {
    const bytes = (...values: number[]) => new Uint8Array(values);
    expect(sameBytes(bytes(1, 2, 3), bytes(1, 2, 3))).toBe(true);
    expect(sameBytes(bytes(), bytes())).toBe(true);
    expect(sameBytes(bytes(1, 2, 3), bytes(1, 2, 4))).toBe(false);
    expect(sameBytes(bytes(1, 2), bytes(1, 2, 0))).toBe(false);
    expect(sameBytes(bytes(0), bytes())).toBe(false);
  });
});
