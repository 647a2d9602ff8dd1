import { describe, expect, it } from 'vitest';
import { fakeClock, randomIds, sequentialIds } from './clock-and-ids.ts';

describe('clock and ids', () => {
  it('moves a fake clock only when told', () => {
    const clock = fakeClock('2026-01-01T00:00:00Z');
    clock.advance(1500);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.500Z');
    clock.set('2027-05-05T05:05:05Z');
    expect(clock.now().toISOString()).toBe('2027-05-05T05:05:05.000Z');
  });

  it('draws tokens of the asked size in base64url', () => {
    const token = randomIds.randomToken(32);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomIds.randomToken(32)).not.toBe(token);
  });

  it('counts uuid-shaped ids up from a prefix', () => {
    const ids = sequentialIds(1);
    expect([ids.newId(), ids.newId()]).toEqual([
      '00000000-0000-4000-8000-100000000001',
      '00000000-0000-4000-8000-100000000002',
    ]);
  });
});
