import { describe, expect, it } from 'vitest';
import { phaseCopy } from './sync-copy.ts';

describe('what the status bar says', () => {
  it('calls a device nobody has signed in on yet waiting, not stopped', () => {
    expect(phaseCopy({ phase: 'sign_in_required', lastSyncAt: null })).toEqual({
      label: 'Not signed in: sync starts when you sign in',
      tone: 'busy',
    });
  });

  it('says sync stopped when a device that synced needs its person to sign in again', () => {
    expect(phaseCopy({ phase: 'sign_in_required', lastSyncAt: '2026-12-01T09:00:00.000Z' })).toEqual({
      label: 'Sync stopped: sign in again',
      tone: 'error',
    });
  });

  it('keeps the other phases as they are whatever the last sync', () => {
    expect(phaseCopy({ phase: 'idle', lastSyncAt: null })).toEqual({ label: 'Up to date', tone: 'ok' });
    expect(phaseCopy({ phase: 'offline', lastSyncAt: '2026-12-01T09:00:00.000Z' }).tone).toBe('warn');
  });
});
