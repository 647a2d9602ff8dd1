/**
 * Device health for the admin Devices page: colour and words from the
 * server's verdict (docs/decisions/2026-11-26-organization-admin-visibility.md),
 * plus a calm "unsent changes" state the server does not grade: edits only
 * minutes old are normal for a computer that works offline, but an admin
 * should still see that they exist nowhere else yet.
 */
import { assertNever, type OrgDevice } from '@clinicsync/protocol';

export type HealthTone = 'ok' | 'info' | 'warn' | 'error' | 'off';

type HealthFacts = Pick<
  OrgDevice,
  | 'health'
  | 'staleness'
  | 'syncTokenRevoked'
  | 'pending'
  | 'openConflicts'
  | 'deadLetters'
  | 'lastPushAt'
  | 'lastPullAt'
>;

/** Whether the device's last report holds edits the server does not have yet. */
export function hasUnsent(device: Pick<OrgDevice, 'pending'>): boolean {
  return (device.pending ?? 0) > 0;
}

/** The pill, its colour and a short reason for one device row. */
export function deviceHealthCopy(device: HealthFacts): { label: string; tone: HealthTone; detail: string | null } {
  if (device.syncTokenRevoked) return { label: 'Revoked', tone: 'off', detail: null };
  switch (device.health) {
    case 'ok':
      return okCopy(device);
    case 'warning':
      return { label: 'Attention', tone: 'warn', detail: device.staleness };
    case 'stale':
      return { label: 'At risk', tone: 'error', detail: device.staleness };
    default:
      return assertNever(device.health);
  }
}

function okCopy(device: HealthFacts): { label: string; tone: HealthTone; detail: string | null } {
  const pending = device.pending ?? 0;
  if (hasUnsent(device)) return { label: 'Unsent changes', tone: 'info', detail: `${pending} not on the server yet` };
  const toReview = (device.openConflicts ?? 0) + (device.deadLetters ?? 0);
  if (toReview > 0)
    return { label: 'Changes to review', tone: 'info', detail: `${toReview} waiting for a decision on that computer` };
  if (device.lastPushAt === null && device.lastPullAt === null)
    return { label: 'Not synced yet', tone: 'off', detail: null };
  return { label: 'Healthy', tone: 'ok', detail: null };
}
