import { describe, expect, it } from 'vitest';
import { clientOrigin, clientUrl, publicUrlSchema } from './client-url.ts';

describe('publicUrlSchema', () => {
  it.each([
    ['https://clinic.example.org', 'https://clinic.example.org'],
    ['https://clinic.example.org/', 'https://clinic.example.org'],
    ['https://example.org:8443/clinicsync/', 'https://example.org:8443/clinicsync'],
    ['http://10.0.0.5', 'http://10.0.0.5'],
  ])('keeps %s as %s', (text, expected) => {
    expect(publicUrlSchema.parse(text)).toBe(expected);
  });

  it.each([
    'clinic.example.org',
    'ftp://clinic.example.org',
    'https://user:secret@clinic.example.org',
    'https://clinic.example.org/?a=1',
    'https://clinic.example.org/#top',
    'javascript:alert(1)',
  ])('refuses %s', (text) => {
    expect(publicUrlSchema.safeParse(text).success).toBe(false);
  });
});

describe('clientUrl', () => {
  const request = 'http://127.0.0.1:8787/v1/orgs/o/fhir/r4/Patient?_count=2&_cursor=x';

  it('is the request URL when no public address is set', () => {
    expect(clientUrl(request, undefined)).toBe(request);
    expect(clientOrigin(request, undefined)).toBe('http://127.0.0.1:8787');
  });

  it('puts the public address, path prefix included, in place of the origin', () => {
    expect(clientUrl(request, 'https://example.org/clinicsync')).toBe(
      'https://example.org/clinicsync/v1/orgs/o/fhir/r4/Patient?_count=2&_cursor=x',
    );
    expect(clientOrigin(request, 'https://example.org/clinicsync')).toBe('https://example.org/clinicsync');
  });
});
