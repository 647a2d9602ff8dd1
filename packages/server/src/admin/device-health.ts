/**
 * Turns a device's latest outbox report and last contact into something an
 * admin can act on (PROTOCOL §6): `ok`, `warning` or `stale`, with a short
 * reason in words. Pure: the caller passes "now".
 */
import { DEVICE_HEALTH_THRESHOLDS, type DeviceHealth } from '@clinicsync/protocol';

/** The stored facts health is computed from (timestamps as ISO text, as stored). */
export type DeviceHealthInput = {
  readonly pending: number | null;
  readonly oldestPendingAt: string | null;
  readonly lastPushAt: string | null;
  readonly lastPullAt: string | null;
  /** When the device signed in: a device that never synced counts as last seen then. */
  readonly createdAt: string;
};

export type DeviceHealthAssessment = { readonly health: DeviceHealth; readonly staleness: string | null };

const SEVERITY: Record<DeviceHealth, number> = { ok: 0, warning: 1, stale: 2 };

/** Decides a device's health at `now`; the unsent-edits rule wins a tie because those edits exist nowhere else. */
export function assessDeviceHealth(device: DeviceHealthInput, now: Date): DeviceHealthAssessment {
  const pendingRule = assessPending(device, now);
  const seenRule = assessLastSeen(device, now);
  return SEVERITY[seenRule.health] > SEVERITY[pendingRule.health] ? seenRule : pendingRule;
}

function assessPending(device: DeviceHealthInput, now: Date): DeviceHealthAssessment {
  if (!device.pending || device.pending <= 0 || !device.oldestPendingAt) return { health: 'ok', staleness: null };
  const age = ageMs(device.oldestPendingAt, now);
  const staleness = `pending for ${describeDuration(age)}`;
  if (age >= DEVICE_HEALTH_THRESHOLDS.pendingStaleMs) return { health: 'stale', staleness };
  if (age >= DEVICE_HEALTH_THRESHOLDS.pendingWarningMs) return { health: 'warning', staleness };
  return { health: 'ok', staleness: null };
}

function assessLastSeen(device: DeviceHealthInput, now: Date): DeviceHealthAssessment {
  const lastSeen = lastSeenAt(device);
  const age = ageMs(lastSeen, now);
  if (age >= DEVICE_HEALTH_THRESHOLDS.unseenStaleMs)
    return { health: 'stale', staleness: `not seen for ${describeDuration(age)}` };
  return { health: 'ok', staleness: null };
}

/** The latest of push, pull and sign-in: any of them proves the device was alive. */
export function lastSeenAt(device: Pick<DeviceHealthInput, 'lastPushAt' | 'lastPullAt' | 'createdAt'>): string {
  const times = [device.lastPushAt, device.lastPullAt, device.createdAt].filter((t): t is string => t !== null);
  return times.reduce((latest, t) => (Date.parse(t) > Date.parse(latest) ? t : latest));
}

// The oldest pending time is reported by the client's clock, which may run
// ahead of ours: a time in the future counts as "just now", never negative.
function ageMs(at: string, now: Date): number {
  const parsed = Date.parse(at);
  if (Number.isNaN(parsed)) return 0;
  return Math.max(0, now.getTime() - parsed);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** A duration in the largest unit that still reads naturally, rounded down ("26 hours", "3 days", "2 weeks", "4 months"). */
export function describeDuration(ms: number): string {
  if (ms < HOUR) return count(Math.floor(ms / MINUTE), 'minute');
  if (ms < 2 * DAY) return count(Math.floor(ms / HOUR), 'hour');
  if (ms < 2 * WEEK) return count(Math.floor(ms / DAY), 'day');
  if (ms < 60 * DAY) return count(Math.floor(ms / WEEK), 'week');
  if (ms < 365 * DAY) return count(Math.floor(ms / (30 * DAY)), 'month');
  return count(Math.floor(ms / (365 * DAY)), 'year');
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
