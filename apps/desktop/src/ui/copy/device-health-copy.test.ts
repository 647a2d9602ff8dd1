import type { OrgDevice } from '@clinicsync/protocol';
import { describe, expect, it } from 'vitest';
import { deviceHealthCopy } from './device-health-copy.ts';

const seen: Parameters<typeof deviceHealthCopy>[0] = {
  health: 'ok',
  staleness: null,
  syncTokenRevoked: false,
  pending: 0,
  openConflicts: 0,
  deadLetters: 0,
  lastPushAt: '2026-03-01T09:00:00.000Z',
  lastPullAt: '2026-03-01T09:00:00.000Z',
};
const with_ = (changes: Partial<OrgDevice>) => deviceHealthCopy({ ...seen, ...changes });

describe('device health copy', () => {
  it('shows unsent changes the server still calls ok, calmly and with their count', () => {
    expect(with_({ pending: 3 })).toEqual({ label: 'Unsent changes', tone: 'info', detail: '3 not on the server yet' });
    expect(with_({})).toEqual({ label: 'Healthy', tone: 'ok', detail: null });
  });

  it("keeps the server's warning and risk verdicts, and revocation above all", () => {
    expect(with_({ pending: 3, health: 'stale', staleness: 'pending for 4 days' })).toEqual({
      label: 'At risk',
      tone: 'error',
      detail: 'pending for 4 days',
    });
    expect(with_({ pending: 3, health: 'warning', staleness: 'pending for 26 hours' }).tone).toBe('warn');
    expect(with_({ pending: 3, health: 'stale', syncTokenRevoked: true }).label).toBe('Revoked');
  });

  it('tells apart conflicts waiting on that computer and a device that never synced', () => {
    expect(with_({ openConflicts: 1, deadLetters: 1 }).label).toBe('Changes to review');
    expect(
      with_({ pending: null, openConflicts: null, deadLetters: null, lastPushAt: null, lastPullAt: null }),
    ).toEqual({ label: 'Not synced yet', tone: 'off', detail: null });
  });
});
