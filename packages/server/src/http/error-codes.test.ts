/**
 * Every error code the server can send is in the protocol's closed list
 * (ERROR_CODES). The types already refuse an unlisted code in `new ApiError`
 * and `errorResponse`; this reads the source as text, so a cast or a body
 * written by hand (a route answering `Response.json({error: …})`) cannot slip
 * a code past them either.
 */
import { ERROR_CODES } from '@clinicsync/protocol';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SOURCES = [
  fileURLToPath(new URL('../', import.meta.url)),
  fileURLToPath(new URL('../../../edge/src/', import.meta.url)),
];

// Where a code is named for an HTTP error: an ApiError, the renderer, a hand-written body.
const CODE_SITES = [
  /new ApiError\(\s*'([a-z_]+)'/g,
  /errorResponse\(\s*c,\s*'([a-z_]+)'/g,
  /errorBody\(\s*'([a-z_]+)'/g,
  /error:\s*\{\s*code:\s*'([a-z_]+)'/g,
];
// Where a code comes from a variable instead: each must be one the types pin to the list.
const VARIABLE_SITES = /new ApiError\(\s*(?!')([^,\s)]+)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('node_modules'))
    .map((f) => join(dir, f));
}

function usedCodes(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const file of SOURCES.flatMap(sourceFiles)) {
    const text = readFileSync(file, 'utf8');
    for (const site of CODE_SITES)
      for (const match of text.matchAll(site)) used.set(match[1]!, [...(used.get(match[1]!) ?? []), file]);
  }
  return used;
}

describe('the error codes the server sends', () => {
  it('are all in the protocol list', () => {
    const used = usedCodes();
    // Not vacuous: the scan finds the codes of the push and pull routes and the renderer.
    for (const code of ['schema_upgrade_required', 'batch_too_large', 'internal', 'payload_too_large', 'not_found'])
      expect(used.has(code), code).toBe(true);
    const unlisted = [...used].filter(([code]) => !(ERROR_CODES as readonly string[]).includes(code));
    expect(unlisted).toEqual([]);
  });

  it('are never taken from a variable the types do not pin to the list', () => {
    const variables = SOURCES.flatMap(sourceFiles).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(VARIABLE_SITES)].map((m) => `${file}: ${m[1]}`),
    );
    expect(variables).toEqual([]);
  });
});
