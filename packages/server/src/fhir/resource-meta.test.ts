import { describe, expect, it } from 'vitest';
import type { StoredFhirRow } from './read-fhir-rows.ts';
import { fhirTextRow } from './resource-meta.ts';

const row = (fields: Record<string, unknown>) => ({ id: 'r', version: 1, ...fields }) as unknown as StoredFhirRow;

describe('fhirTextRow', () => {
  it('marks every control character FHIR strings may not hold, in every row in turn, and keeps tab, LF and CR', () => {
    for (let i = 0; i < 3; i++) {
      expect(fhirTextRow(row({ given_name: 'A\u0001B\u001f', notes: 'a\tb\r\nc', value: 5 }))).toEqual(
        row({ given_name: 'A\ufffdB\ufffd', notes: 'a\tb\r\nc', value: 5 }),
      );
    }
  });
});
