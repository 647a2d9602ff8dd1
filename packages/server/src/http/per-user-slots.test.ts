import { describe, expect, it } from 'vitest';
import { createPerUserSlots } from './per-user-slots.ts';

describe('createPerUserSlots', () => {
  it('refuses a person beyond their slots, leaves others free, and frees a slot on release', () => {
    const slots = createPerUserSlots(2);
    expect([slots.take('a'), slots.take('a'), slots.take('a')]).toEqual([true, true, false]);
    expect(slots.take('b')).toBe(true);
    slots.release('a');
    expect(slots.take('a')).toBe(true);
    slots.release('a');
    slots.release('a');
    expect(slots.held('a')).toBe(0);
  });
});
