import { describe, expect, it } from 'vitest';
import { createLocalNotifier, createLocalWakeups } from './change-notifier.ts';

const ORG_A = 'a0000000-0000-4000-8000-000000000001';
const ORG_B = 'b0000000-0000-4000-8000-000000000002';
const LONG = 60_000;

describe('local change notifier', () => {
  it('wakes a waiter when one of its organizations is announced', async () => {
    const notifier = createLocalNotifier();
    const waiting = notifier.wait([ORG_A, ORG_B], {
      since: notifier.mark(),
      timeoutMs: LONG,
      signal: new AbortController().signal,
    });
    expect(notifier.waiting()).toBe(1);
    await notifier.notify([ORG_B]);
    expect(await waiting).toBe('changed');
    expect(notifier.waiting()).toBe(0);
  });

  it('does not wake a waiter for another organization', async () => {
    const notifier = createLocalNotifier();
    const waiting = notifier.wait([ORG_A], {
      since: notifier.mark(),
      timeoutMs: 20,
      signal: new AbortController().signal,
    });
    await notifier.notify([ORG_B]);
    expect(await waiting).toBe('timeout');
  });

  it('counts an announcement made after the mark but before the wait began (no lost wake-up)', async () => {
    const notifier = createLocalNotifier();
    const since = notifier.mark();
    await notifier.notify([ORG_A]); // lands while the caller is still reading the log
    expect(await notifier.wait([ORG_A], { since, timeoutMs: LONG, signal: new AbortController().signal })).toBe(
      'changed',
    );
  });

  it('ignores announcements from before the mark', async () => {
    const notifier = createLocalNotifier();
    await notifier.notify([ORG_A]);
    const since = notifier.mark();
    expect(await notifier.wait([ORG_A], { since, timeoutMs: 20, signal: new AbortController().signal })).toBe(
      'timeout',
    );
  });

  it('ends a wait when its request goes away, and keeps nothing of it', async () => {
    const notifier = createLocalNotifier();
    const abort = new AbortController();
    const waiting = notifier.wait([ORG_A], { since: notifier.mark(), timeoutMs: LONG, signal: abort.signal });
    abort.abort();
    expect(await waiting).toBe('aborted');
    expect(notifier.waiting()).toBe(0);
  });

  it('releases every waiter on close and answers later waits at once', async () => {
    const notifier = createLocalNotifier();
    const signal = new AbortController().signal;
    const waits = [
      notifier.wait([ORG_A], { since: notifier.mark(), timeoutMs: LONG, signal }),
      notifier.wait([], { since: notifier.mark(), timeoutMs: LONG, signal }),
    ];
    await notifier.close();
    expect(await Promise.all(waits)).toEqual(['closed', 'closed']);
    expect(await notifier.wait([ORG_A], { since: notifier.mark(), timeoutMs: LONG, signal })).toBe('closed');
  });

  it('wakes everyone when announcements may have been missed', async () => {
    const wakeups = createLocalWakeups();
    const signal = new AbortController().signal;
    const since = wakeups.mark();
    const waits = [
      wakeups.wait([ORG_A], { since, timeoutMs: LONG, signal }),
      wakeups.wait([ORG_B], { since, timeoutMs: LONG, signal }),
    ];
    wakeups.deliverAll();
    expect(await Promise.all(waits)).toEqual(['changed', 'changed']);
    // A wait that began before the wake-all but registers after it is not left behind either.
    expect(await wakeups.wait([ORG_A], { since, timeoutMs: LONG, signal })).toBe('changed');
  });

  it('keeps no per-waiter state once hundreds of waits have ended', async () => {
    const notifier = createLocalNotifier();
    const topics = Array.from({ length: 300 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const waits = topics.map((t) =>
      notifier.wait([t], { since: notifier.mark(), timeoutMs: LONG, signal: new AbortController().signal }),
    );
    expect(notifier.waiting()).toBe(300);
    await notifier.notify(topics);
    expect(new Set(await Promise.all(waits))).toEqual(new Set(['changed']));
    expect(notifier.waiting()).toBe(0);
  });
});
