import { describe, expect, it } from 'vitest';
import { ageOn } from './age.ts';

describe('ageOn', () => {
  it.each([
    ['1990-02-28', '2026-12-01', '36 years'],
    ['1990-12-02', '2026-12-01', '35 years'],
    ['2025-06-01', '2026-12-01', '18 months'],
    ['2026-11-01', '2026-12-01', '1 month'],
    ['2026-11-20', '2026-12-01', '11 days'],
    ['2026-12-02', '2026-12-01', ''],
  ])('born %s, on %s: %s', (birth, today, expected) => {
    const [y, m, d] = today.split('-').map(Number) as [number, number, number];
    expect(ageOn(birth, new Date(y, m - 1, d))).toBe(expected);
  });
});
