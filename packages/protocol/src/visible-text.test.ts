import { describe, expect, it } from 'vitest';
import { hasInvisibleEnd, hasVisibleCharacter } from './visible-text.ts';

describe('hasVisibleCharacter', () => {
  it.each(['', ' ', '\t\n', '\u00a0', '\u200b', '\u200b\u200d', '\u2060', '\ufeff', '\u3164', '\u00ad', '\u{e0100}'])(
    'finds nothing to see in %j',
    (text) => expect(hasVisibleCharacter(text)).toBe(false),
  );
  it.each(['A', 'Zoë', '\u200bA', '👩‍⚕️', 'محمد', '李'])('sees %j', (text) =>
    expect(hasVisibleCharacter(text)).toBe(true),
  );
});

describe('hasInvisibleEnd', () => {
  it('finds a blank or a zero-width character at either end, even one beyond the first plane', () => {
    for (const text of [' K7', 'K7 ', '\u200bK7', 'K7\u200b', 'K7\u{e0100}', 'K7\t'])
      expect(hasInvisibleEnd(text), JSON.stringify(text)).toBe(true);
    for (const text of ['K7', 'K7 0042', 'K\u200b7']) expect(hasInvisibleEnd(text), JSON.stringify(text)).toBe(false);
  });
});
