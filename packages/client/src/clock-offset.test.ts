import { describe, expect, it } from 'vitest';
import { CLOCK_OFF_AFTER_MS, clockOffForStatus, clockOffsetMs } from './clock-offset.ts';

describe('clockOffsetMs', () => {
  const server = Date.parse('2026-12-01T10:00:00Z');
  const header = new Date(server).toUTCString();
  const answer = (date: string | null, more: Record<string, string> = {}) =>
    new Headers({ ...(date === null ? {} : { date }), ...more });

  it('reads the device ahead or behind the server, within the header’s second', () => {
    expect(clockOffsetMs(answer(header), server + 3 * 3_600_000 + 500)).toBe(3 * 3_600_000);
    expect(clockOffsetMs(answer(header), server - 20 * 60_000 + 500)).toBe(-20 * 60_000);
    expect(Math.abs(clockOffsetMs(answer(header), server + 900)!)).toBeLessThan(1000);
  });

  it('knows nothing without a readable header', () => {
    expect(clockOffsetMs(answer(null), server)).toBeUndefined();
    expect(clockOffsetMs(answer('yesterday-ish'), server)).toBeUndefined();
    expect(clockOffsetMs(answer(header, { age: '0' }), server + 3 * 3_600_000)).toBeUndefined();
  });
});

describe('clockOffForStatus', () => {
  it('says nothing within the threshold, whole minutes beyond it', () => {
    expect(clockOffForStatus(CLOCK_OFF_AFTER_MS - 1)).toBeUndefined();
    expect(clockOffForStatus(-(CLOCK_OFF_AFTER_MS - 1))).toBeUndefined();
    expect(clockOffForStatus(3 * 3_600_000 + 12_345)).toBe(3 * 3_600_000);
    expect(clockOffForStatus(-25 * 60_000 - 40_000)).toBe(-26 * 60_000);
  });
});
