/**
 * A look at a JSON text before it is parsed (docs/security.md "Cheap
 * refusal"): parsing an object with hundreds of thousands of keys costs far
 * more than reading its characters, so a body whose objects hold more keys,
 * or nest deeper, than any request of the API can is refused from one pass
 * over the text, before `JSON.parse` builds it. Only structure is looked at
 * (strings are skipped whole), never values. Pure.
 */

export type JsonShapeLimits = { readonly maxKeysPerObject: number; readonly maxDepth: number };
export type JsonShapeProblem = 'too_many_keys' | 'too_deep';

/** The first limit the text breaks, or null. Malformed JSON is left to the parser to refuse. */
export function scanJsonShape(text: string, limits: JsonShapeLimits): JsonShapeProblem | null {
  return scanJson(text, limits).problem;
}

/**
 * The scan's findings: the first limit the text breaks (then `keys` counts only the keys before it), and
 * how many object keys the text writes in all. `JSON.parse` keeps one of two equal keys of an object, so a
 * parsed value with fewer own keys than the text wrote held a duplicate key (see `countOwnKeys`).
 */
export function scanJson(text: string, limits: JsonShapeLimits): { problem: JsonShapeProblem | null; keys: number } {
  // keys[d] counts the keys of the open object at depth d; -1 marks an open array.
  const keys: number[] = [];
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      // Skip the string, escapes included.
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x5c /* \ */) i++;
        else if (c === 0x22) break;
      }
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      keys.push(ch === 0x7b ? 0 : -1);
      if (keys.length > limits.maxDepth) return { problem: 'too_deep', keys: total };
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      keys.pop();
    } else if (ch === 0x3a /* : */) {
      const depth = keys.length - 1;
      if (depth >= 0 && keys[depth]! >= 0) {
        total++;
        if (++keys[depth]! > limits.maxKeysPerObject) return { problem: 'too_many_keys', keys: total };
      }
    }
  }
  return { problem: null, keys: total };
}

/** The own keys of every object in a parsed JSON value, counted without recursion (nesting is unbounded here). */
export function countOwnKeys(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) {
      for (const child of item) pending.push(child);
      continue;
    }
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      count++;
      pending.push(record[key]);
    }
  }
  return count;
}
