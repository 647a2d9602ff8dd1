import { describe, expect, it } from 'vitest';
import { clockCopy, phaseCopy, upgradeAdvice } from './sync-copy.ts';

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

describe('clockCopy', () => {
  it.each([
    [5 * 60_000, "This computer's clock is 5 min ahead of the server's."],
    [(3 * 60 + 5) * 60_000, "This computer's clock is 3 h 5 min ahead of the server's."],
    [-2 * 3_600_000, "This computer's clock is 2 h behind the server's."],
    [12 * 24 * 3_600_000, "This computer's clock is 12 days ahead of the server's."],
    [-9 * 365 * 24 * 3_600_000, "This computer's clock is about 9 years behind the server's."],
  ])('says how far off and which way (%d ms)', (offset, start) => {
    expect(clockCopy(offset).startsWith(start)).toBe(true);
    expect(clockCopy(offset)).toContain("Check the computer's date and time");
  });

  it('does not tell staff to change a clock that may be right: the server’s may be the wrong one', () => {
    for (const offset of [20 * 60_000, -20 * 60_000]) {
      expect(clockCopy(offset)).not.toMatch(/^Correct|\. Correct/);
      expect(clockCopy(offset)).toContain(
        "if they are right, the server's clock is off: tell whoever runs the server.",
      );
    }
  });

  it('says why a clock ahead matters for vital signs', () => {
    expect(clockCopy(20 * 60_000)).toContain('refused as in the future');
    expect(clockCopy(-20 * 60_000)).not.toContain('refused');
  });

  it('tells the browser app to reload for a new build and the desktop to install one', () => {
    expect(upgradeAdvice('browser')).toMatch(/^Reload this page to get the latest version/);
    expect(upgradeAdvice('browser')).not.toMatch(/install/i);
    expect(upgradeAdvice('desktop')).toBe('Install the latest version of ClinicSync to resume syncing.');
  });
});
