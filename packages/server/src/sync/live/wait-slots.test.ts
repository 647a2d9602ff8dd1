import { describe, expect, it } from 'vitest';
import { createWaitSlots } from './wait-slots.ts';

const alice = (deviceId: string) => ({ userId: 'alice', deviceId });

describe('waiting pull slots', () => {
  it('refuses a person beyond their limit and frees the slot on release', () => {
    const slots = createWaitSlots({ perUser: 2, perInstance: 100 });
    const one = slots.acquire(alice('d1'));
    const two = slots.acquire(alice('d2'));
    expect(slots.acquire(alice('d3'))).toEqual({ kind: 'refused', limit: 'user' });
    expect(slots.acquire({ userId: 'bob', deviceId: 'd9' }).kind).toBe('granted');
    if (one.kind !== 'granted' || two.kind !== 'granted') throw new Error('expected slots');
    one.slot.release();
    one.slot.release(); // twice is harmless
    expect(slots.acquire(alice('d3')).kind).toBe('granted');
  });

  it('refuses beyond the instance limit', () => {
    const slots = createWaitSlots({ perUser: 10, perInstance: 2 });
    slots.acquire(alice('d1'));
    slots.acquire({ userId: 'bob', deviceId: 'd2' });
    expect(slots.acquire({ userId: 'carol', deviceId: 'd3' })).toEqual({ kind: 'refused', limit: 'instance' });
    expect(slots.held()).toBe(2);
  });

  it("ends a device's older wait when the same device waits again, without counting both", () => {
    const slots = createWaitSlots({ perUser: 1, perInstance: 10 });
    const older = slots.acquire(alice('d1'));
    const newer = slots.acquire(alice('d1'));
    if (older.kind !== 'granted' || newer.kind !== 'granted') throw new Error('expected slots');
    expect(older.slot.signal.aborted).toBe(true);
    expect(newer.slot.signal.aborted).toBe(false);
    expect(slots.held()).toBe(1);
    older.slot.release(); // the older request finishing later must not free the newer one's slot
    expect(slots.held()).toBe(1);
    newer.slot.release();
    expect(slots.held()).toBe(0);
  });
});
