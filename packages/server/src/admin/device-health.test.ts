import { describe, expect, it } from 'vitest';
import { assessDeviceHealth, describeDuration, lastSeenAt, type DeviceHealthInput } from './device-health.ts';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

function device(overrides: Partial<DeviceHealthInput> = {}): DeviceHealthInput {
  return {
    pending: 0,
    oldestPendingAt: null,
    lastPushAt: ago(HOUR),
    lastPullAt: ago(HOUR),
    createdAt: ago(30 * DAY),
    ...overrides,
  };
}

describe('assessDeviceHealth', () => {
  const cases: [string, Partial<DeviceHealthInput>, string, string | null][] = [
    ['an empty outbox seen an hour ago is ok', {}, 'ok', null],
    ['edits pending for 23 hours are still ok', { pending: 4, oldestPendingAt: ago(23 * HOUR) }, 'ok', null],
    [
      'edits pending for exactly 24 hours are a warning',
      { pending: 4, oldestPendingAt: ago(DAY) },
      'warning',
      'pending for 24 hours',
    ],
    [
      'edits pending for 2 days are a warning',
      { pending: 4, oldestPendingAt: ago(2 * DAY + HOUR) },
      'warning',
      'pending for 2 days',
    ],
    [
      'edits pending for 3 days are stale',
      { pending: 4, oldestPendingAt: ago(3 * DAY) },
      'stale',
      'pending for 3 days',
    ],
    ['a zero pending count ignores a leftover oldest time', { pending: 0, oldestPendingAt: ago(10 * DAY) }, 'ok', null],
    [
      'an oldest time in the future (client clock ahead) is ok',
      { pending: 2, oldestPendingAt: ago(-5 * DAY) },
      'ok',
      null,
    ],
    ['not seen for 6 days is ok', { lastPushAt: ago(6 * DAY), lastPullAt: ago(6 * DAY) }, 'ok', null],
    [
      'not seen for 7 days is stale',
      { lastPushAt: ago(7 * DAY), lastPullAt: ago(8 * DAY) },
      'stale',
      'not seen for 7 days',
    ],
    [
      'not seen for 15 days reads in weeks',
      { lastPushAt: ago(15 * DAY), lastPullAt: null },
      'stale',
      'not seen for 2 weeks',
    ],
    ['a recent pull alone counts as seen', { lastPushAt: ago(20 * DAY), lastPullAt: ago(HOUR) }, 'ok', null],
    [
      'a device that never synced counts from its sign-in',
      { lastPushAt: null, lastPullAt: null, createdAt: ago(9 * DAY) },
      'stale',
      'not seen for 9 days',
    ],
    [
      'a just signed-in device that never synced is ok',
      { lastPushAt: null, lastPullAt: null, createdAt: ago(HOUR) },
      'ok',
      null,
    ],
    [
      'unseen-stale beats a pending warning',
      { pending: 1, oldestPendingAt: ago(30 * HOUR), lastPushAt: ago(8 * DAY), lastPullAt: null },
      'stale',
      'not seen for 8 days',
    ],
    [
      'pending-stale wins a tie with unseen-stale',
      { pending: 1, oldestPendingAt: ago(21 * DAY), lastPushAt: ago(8 * DAY), lastPullAt: null },
      'stale',
      'pending for 3 weeks',
    ],
  ];
  it.each(cases)('%s', (_name, overrides, health, staleness) => {
    expect(assessDeviceHealth(device(overrides), NOW)).toEqual({ health, staleness });
  });
});

describe('describeDuration', () => {
  it.each([
    [0, '0 minutes'],
    [60_000, '1 minute'],
    [59 * 60_000, '59 minutes'],
    [HOUR, '1 hour'],
    [47 * HOUR, '47 hours'],
    [2 * DAY, '2 days'],
    [13 * DAY, '13 days'],
    [14 * DAY, '2 weeks'],
    [59 * DAY, '8 weeks'],
    [60 * DAY, '2 months'],
    [400 * DAY, '1 year'],
  ])('%d ms reads "%s"', (ms, text) => {
    expect(describeDuration(ms)).toBe(text);
  });
});

describe('lastSeenAt', () => {
  it('picks the latest of push, pull and sign-in', () => {
    expect(lastSeenAt({ lastPushAt: ago(DAY), lastPullAt: ago(HOUR), createdAt: ago(9 * DAY) })).toBe(ago(HOUR));
    expect(lastSeenAt({ lastPushAt: null, lastPullAt: null, createdAt: ago(9 * DAY) })).toBe(ago(9 * DAY));
  });
});
