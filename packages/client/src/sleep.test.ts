import { describe, expect, it } from 'vitest';
import { sleep } from './sleep.ts';

describe('sleep', () => {
  it('resolves true after the time has passed', async () => {
    expect(await sleep(5, new AbortController().signal)).toBe(true);
  });

  it('ends at once, false, when the signal aborts (also an endless wait)', async () => {
    const controller = new AbortController();
    const waiting = sleep(Infinity, controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
    expect(await sleep(10_000, controller.signal)).toBe(false);
  });
});
