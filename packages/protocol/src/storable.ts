/**
 * What the server's databases can store, in one place (PROTOCOL §3,
 * 2026-12 "No content ever answers 500"). Both dialects store text as text
 * and integers as 32-bit `integer` columns; PostgreSQL refuses a NUL
 * character in text (SQLite accepts it) and a number beyond its column's
 * range, and both turn an unpaired UTF-16 surrogate silently into U+FFFD.
 * So every value that can reach a column is bounded here, the same way for
 * both: registry columns through `columnSchema` (row-schema.ts), the request
 * envelopes through their schemas, and any other request body through
 * `findUnstorable` before it is parsed. Refused values answer `invalid_event`
 * per event or `400 invalid_request`, before anything is written.
 */
import { z } from 'zod';

/** The range of an SQL `integer` column on both dialects. */
export const MIN_STORED_INTEGER = -2_147_483_648;
export const MAX_STORED_INTEGER = 2_147_483_647;

/** The issue code of a string no database column may hold. */
export const UNSTORABLE_TEXT = 'unstorable_text';

// An unpaired UTF-16 surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when every database stores `text` as it is: no NUL character, no unpaired surrogate. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** A string schema that also refuses unstorable text (issue code `custom`, message `unstorable_text`). */
export function storableString(): z.ZodString {
  return z.string().refine(isStorableText, { message: UNSTORABLE_TEXT }) as unknown as z.ZodString;
}

/** An integer schema within what an `integer` column holds, narrowed to [min, max]. */
export function storedInteger(min = MIN_STORED_INTEGER, max = MAX_STORED_INTEGER): z.ZodNumber {
  return z.number().int().min(Math.max(min, MIN_STORED_INTEGER)).max(Math.min(max, MAX_STORED_INTEGER));
}

/**
 * The path of the first string (key or value) in a parsed JSON value that no
 * database column could hold, or null. `skip` names top-level keys whose
 * contents are checked elsewhere (a push's events, refused per event).
 * Walks with its own stack, depth first in document order, so no nesting a
 * payload can carry overflows the call stack.
 */
export function findUnstorable(value: unknown, skip: readonly string[] = []): string | null {
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: item, path } = next;
    if (typeof item === 'string') {
      if (!isStorableText(item)) return path || '(root)';
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    const children: { value: unknown; path: string }[] = [];
    const at = (name: string) => `${path}${path ? '.' : ''}${name}`;
    if (Array.isArray(item)) {
      for (const [index, child] of item.entries()) children.push({ value: child, path: at(String(index)) });
    } else {
      for (const [key, child] of Object.entries(item)) {
        if (!isStorableText(key)) return at('(key)');
        if (path === '' && skip.includes(key)) continue;
        children.push({ value: child, path: at(key) });
      }
    }
    // Reversed onto the stack, so the first child is looked at first.
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
  return null;
}

/** A payload-chosen name made safe to store inside a message: unstorable characters become U+FFFD. */
export function storableName(name: string): string {
  return name.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\ufffd').replaceAll('\u0000', '\ufffd');
}
