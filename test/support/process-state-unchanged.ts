/**
 * Vitest setup file: a test file ends with the process state it started
 * with. The unit, black-box and pg projects run a worker's files one after
 * another in one process (vitest.config.ts `isolate: false`), so an
 * environment variable set, or fake timers left on, by one file would change
 * what the next file tests. Vitest's own per-file variables are not compared.
 */
import { afterAll, beforeAll, vi } from 'vitest';

const own = (key: string) => key.startsWith('VITEST') || key === 'NODE_ENV' || key === 'TEST';
let before: Map<string, string | undefined> = new Map();

function snapshot(): Map<string, string | undefined> {
  return new Map(Object.entries(process.env).filter(([key]) => !own(key)));
}

beforeAll(() => {
  before = snapshot();
});

afterAll(() => {
  const after = snapshot();
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((key) => before.get(key) !== after.get(key));
  const faults: string[] = [];
  if (changed.length > 0) faults.push(`changed environment variables: ${changed.sort().join(', ')}`);
  if (vi.isFakeTimers()) {
    vi.useRealTimers();
    faults.push('fake timers still on');
  }
  if (faults.length > 0) throw new Error(`A test file must leave the process as it found it: ${faults.join('; ')}.`);
});
