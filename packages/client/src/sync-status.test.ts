import { describe, expect, it } from 'vitest';
import { createStatusStore, initialStatus, nextStatus, type StatusEvent, type SyncStatus } from './sync-status.ts';

const counts = { pending: 0, oldestPendingAt: null, openConflicts: 0, deadLetters: 0, held: 0 };
const base = initialStatus({ counts, lastSyncAt: null, lastPushAt: null, lastPullAt: null });
const at = '2026-01-01T00:00:00.000Z';
const error = { code: 'network_error', message: 'down', at };

function run(events: StatusEvent[], from: SyncStatus = base): SyncStatus {
  return events.reduce(nextStatus, from);
}

describe('nextStatus', () => {
  it('walks idle → pushing → pulling → idle and records the times', () => {
    const s = run([{ type: 'push_started' }, { type: 'pushed', at }, { type: 'pull_started', initial: false }]);
    expect(s).toMatchObject({ phase: 'pulling', lastPushAt: at, lastPullAt: null });
    expect(
      run(
        [
          { type: 'pulled', at },
          { type: 'synced', at },
        ],
        s,
      ),
    ).toMatchObject({ phase: 'idle', lastPullAt: at, lastSyncAt: at });
  });

  it('counts what the first full pull has received, and drops it when done', () => {
    const s = run([
      { type: 'pull_started', initial: true },
      { type: 'pulled_page', received: 1000 },
      { type: 'pulled_page', received: 20 },
    ]);
    expect(s.initialSync).toEqual({ received: 1020 });
    expect(run([{ type: 'pulled', at }], s).initialSync).toBeUndefined();
    expect(
      run([
        { type: 'pull_started', initial: false },
        { type: 'pulled_page', received: 5 },
      ]).initialSync,
    ).toBeUndefined();
  });

  it.each([
    ['a network error', 'backoff', true, 'offline', false],
    ['a server error', 'backoff', false, 'backoff', true],
    ['a 401', 'sign_in', false, 'sign_in_required', true],
    ['a 426', 'upgrade', false, 'upgrade_required', true],
    ['a bug', 'report_bug', false, 'backoff', true],
  ] as const)('after %s the phase is %s', (_what, action, offline, phase, online) => {
    const s = run([{ type: 'push_started' }, { type: 'failed', action, offline, error }]);
    expect(s).toMatchObject({ phase, online, lastError: error });
  });

  it('a successful sync clears the last error', () => {
    const s = run([
      { type: 'failed', action: 'backoff', offline: true, error },
      { type: 'synced', at },
    ]);
    expect(s.lastError).toBeUndefined();
    expect(s).toMatchObject({ phase: 'idle', online: true });
  });

  it('sign-in and upgrade are left only by resuming, not by a stop or coming online', () => {
    const blocked = run([{ type: 'failed', action: 'sign_in', offline: false, error }]);
    expect(run([{ type: 'stopped' }, { type: 'online' }], blocked).phase).toBe('sign_in_required');
    expect(run([{ type: 'resumed' }], blocked).phase).toBe('idle');
  });

  it('coming online leaves the offline phase', () => {
    const offline = run([{ type: 'failed', action: 'backoff', offline: true, error }]);
    expect(run([{ type: 'online' }], offline)).toMatchObject({ phase: 'idle', online: true });
  });

  it('says the clock is off while an answer shows it off by two minutes or more, in whole minutes', () => {
    const ahead = run([{ type: 'clock', offsetMs: 3 * 3_600_000 + 20_000 }]);
    expect(ahead.clockOffMs).toBe(3 * 3_600_000);
    // The next answers move by seconds: the same snapshot, nothing to render again.
    expect(nextStatus(ahead, { type: 'clock', offsetMs: 3 * 3_600_000 + 25_000 })).toBe(ahead);
    expect(nextStatus(base, { type: 'clock', offsetMs: 30_000 })).toBe(base);
    const fixed = run([{ type: 'clock', offsetMs: 1_000 }], ahead);
    expect(fixed).not.toHaveProperty('clockOffMs');
    expect(run([{ type: 'clock', offsetMs: -40 * 60_000 }]).clockOffMs).toBe(-40 * 60_000);
  });

  it('returns the same snapshot when nothing changes, and never mutates the old one', () => {
    expect(nextStatus(base, { type: 'counts', counts })).toBe(base);
    const frozen = Object.freeze({ ...base });
    const next = nextStatus(frozen, { type: 'counts', counts: { ...counts, pending: 3 } });
    expect(next.pending).toBe(3);
    expect(frozen.pending).toBe(0);
  });
});

describe('createStatusStore', () => {
  it('tells listeners about changes until they unsubscribe; a throwing listener hurts no one', () => {
    const errors: unknown[] = [];
    const store = createStatusStore(base, (e) => errors.push(e));
    const seen: number[] = [];
    store.subscribe(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = store.subscribe((s) => seen.push(s.pending));
    store.dispatch({ type: 'counts', counts: { ...counts, pending: 1 } });
    store.dispatch({ type: 'counts', counts: { ...counts, pending: 1 } });
    unsubscribe();
    store.dispatch({ type: 'counts', counts: { ...counts, pending: 2 } });
    expect(seen).toEqual([1]);
    expect(store.current().pending).toBe(2);
    expect(errors).toHaveLength(2);
  });
});
