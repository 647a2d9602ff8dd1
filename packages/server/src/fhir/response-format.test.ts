import { describe, expect, it } from 'vitest';
import { acceptsServedFormat } from './response-format.ts';

describe('acceptsServedFormat', () => {
  it('takes JSON in every spelling FHIR allows, no preference, and wildcards', () => {
    for (const format of [
      'json',
      'application/json',
      'application/fhir+json',
      'application/fhir+json; fhirVersion=4.0',
    ])
      expect(acceptsServedFormat(format, undefined), format).toBe(true);
    for (const accept of [
      undefined,
      '',
      '*/*',
      'application/fhir+json',
      'application/fhir+xml, application/fhir+json;q=0.9',
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'application/fhir+ndjson',
    ])
      expect(acceptsServedFormat(undefined, accept), String(accept)).toBe(true);
  });

  it('refuses a request only for XML, HTML or turtle, and JSON given quality 0', () => {
    for (const format of ['xml', 'application/fhir+xml', 'text/xml', 'html', 'ttl'])
      expect(acceptsServedFormat(format, 'application/fhir+json'), format).toBe(false);
    for (const accept of ['application/fhir+xml', 'application/xml, text/xml', 'application/fhir+json;q=0'])
      expect(acceptsServedFormat(undefined, accept), accept).toBe(false);
  });
});
