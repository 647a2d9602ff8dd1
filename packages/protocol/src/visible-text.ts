/**
 * Whether text shows anything on a screen. Blanks, control characters and the
 * characters no font draws (Unicode's `Default_Ignorable_Code_Point`: the
 * zero-width space and joiners, the soft hyphen, the Hangul fillers,
 * variation selectors) look empty everywhere, and `trim()` keeps most of
 * them: a name made only of these is no name, wherever names are required
 * (a patient's, a person's, a device's).
 */

const INVISIBLE_CHARACTER = '[\\p{White_Space}\\p{Cc}\\p{Default_Ignorable_Code_Point}]';
const ALL_INVISIBLE = new RegExp(`^${INVISIBLE_CHARACTER}*$`, 'u');
const INVISIBLE_AT_AN_END = new RegExp(`^${INVISIBLE_CHARACTER}|${INVISIBLE_CHARACTER}$`, 'u');

/** True when `text` holds at least one character a screen shows. */
export function hasVisibleCharacter(text: string): boolean {
  return !ALL_INVISIBLE.test(text);
}

/** True when `text` starts or ends with a character a screen does not show (a blank, a zero-width character). */
export function hasInvisibleEnd(text: string): boolean {
  return INVISIBLE_AT_AN_END.test(text);
}
