import { describe, expect, it } from 'vitest';
import { createRequestLedger } from './request-ledger.ts';

describe('request ledger', () => {
  it('takes a request re-sent during a hand-over only once', () => {
    const ledger = createRequestLedger();
    expect(ledger.firstTime('tab-a:1')).toBe(true);
    expect(ledger.firstTime('tab-a:1')).toBe(false);
    expect(ledger.firstTime('tab-a:2')).toBe(true);
    expect(ledger.firstTime('tab-b:1')).toBe(true);
  });

  it('forgets old keys once it holds many, so a long-lived leader stays small', () => {
    let now = 0;
    const ledger = createRequestLedger(1000, () => now);
    for (let i = 0; i < 1001; i++) ledger.firstTime(`old:${i}`);
    now = 5000;
    ledger.firstTime('new:1');
    // An old key is forgotten; a recent one is still remembered.
    expect(ledger.firstTime('old:0')).toBe(true);
    expect(ledger.firstTime('new:1')).toBe(false);
  });
});
