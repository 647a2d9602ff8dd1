/** Device health for the admin Devices page: colour and words from the server's verdict (docs/decisions.md, "Organization admin visibility"). */
import { assertNever, type OrgDevice } from '@clinicsync/protocol';

export type HealthTone = 'ok' | 'warn' | 'error' | 'off';

export function deviceHealthCopy(device: Pick<OrgDevice, 'health' | 'staleness' | 'syncTokenRevoked'>): { label: string; tone: HealthTone; detail: string | null } {
  if (device.syncTokenRevoked) return { label: 'Revoked', tone: 'off', detail: null };
  switch (device.health) {
    case 'ok':
      return { label: 'Healthy', tone: 'ok', detail: null };
    case 'warning':
      return { label: 'Attention', tone: 'warn', detail: device.staleness };
    case 'stale':
      return { label: 'At risk', tone: 'error', detail: device.staleness };
    default:
      return assertNever(device.health);
  }
}
