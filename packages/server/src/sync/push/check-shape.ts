/**
 * Cheap refusal first (docs/security.md "Cheap refusal"): before an event is
 * fingerprinted, parsed or compared with the registry, its size is bounded
 * by a walk that stops at the first excess. A real event is an envelope of 7
 * keys whose `data` holds at most one key per registry column, each a
 * scalar; an event far beyond that (hundreds of thousands of keys, deep
 * nesting) is refused per event at a cost that does not grow with it. Pure.
 */
import { reject, type Rejection } from './event-types.ts';

/** Keys an event envelope may carry (PROTOCOL §3 names 7). */
export const MAX_ENVELOPE_KEYS = 16;
/** Keys `data` may carry: well above any table's column count, far below anything costly. */
export const MAX_DATA_KEYS = 64;
/** Nesting below the event itself: `data` (1), a value (2), and a little room for invalid but harmless values. */
export const MAX_DEPTH = 4;
/** Object keys and array items counted over the whole event. */
export const MAX_NODES = 512;

/** Undefined when the event is small enough to check in depth; otherwise its `invalid_event` refusal. */
export function checkShape(raw: unknown): Rejection | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const event = raw as Record<string, unknown>;
  if (countKeys(event, MAX_ENVELOPE_KEYS) > MAX_ENVELOPE_KEYS) return tooLarge();
  const data = event.data;
  if (
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    countKeys(data as Record<string, unknown>, MAX_DATA_KEYS) > MAX_DATA_KEYS
  )
    return tooLarge();
  const budget = { nodes: MAX_NODES };
  return fits(event, 0, budget) ? undefined : tooLarge();
}

/** Own enumerable keys of `value`, counting no further than `limit + 1`. */
function countKeys(value: Record<string, unknown>, limit: number): number {
  let n = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (++n > limit) break;
  }
  return n;
}

function fits(value: unknown, depth: number, budget: { nodes: number }): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    budget.nodes -= value.length;
    if (budget.nodes < 0) return false;
    return value.every((item) => fits(item, depth + 1, budget));
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (--budget.nodes < 0) return false;
    if (!fits((value as Record<string, unknown>)[key], depth + 1, budget)) return false;
  }
  return true;
}

function tooLarge(): Rejection {
  return reject(
    'invalid_event',
    `The event is larger than any table allows (at most ${MAX_DATA_KEYS} data fields, nested at most ${MAX_DEPTH} deep).`,
  );
}
