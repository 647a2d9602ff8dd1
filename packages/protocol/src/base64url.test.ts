import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url, encodeBase64UrlText } from './base64url.ts';

describe('base64url', () => {
  it('round-trips any bytes, in the URL-safe alphabet, without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(decodeBase64Url(text)).toEqual(bytes);
        expect(decodeBase64Url(text, { canonical: true })).toEqual(bytes);
      }),
    );
  });

  it('spells the RFC 4648 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) expect(encodeBase64UrlText(plain)).toBe(encoded);
    expect(encodeBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
  });

  it('encodes text as UTF-8', () => {
    expect(new TextDecoder().decode(decodeBase64Url(encodeBase64UrlText('Zoë ✓')))).toBe('Zoë ✓');
  });

  it('refuses what is not base64url', () => {
    for (const text of ['a', 'abcde', 'ab+c', 'ab/c', 'ab=c', 'Zg==', 'a b', 'ä'])
      expect(decodeBase64Url(text)).toBeUndefined();
  });

  it('refuses a spelling it would not write only when asked for the canonical one', () => {
    // 'Zh' carries the same byte as 'Zg' in its spare low bits.
    expect(decodeBase64Url('Zh')).toEqual(new Uint8Array([0x66]));
    expect(decodeBase64Url('Zh', { canonical: true })).toBeUndefined();
  });
});

describe('base64', () => {
  it('round-trips any bytes, padded or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(btoa(String.fromCharCode(...bytes)));
        expect(decodeBase64(text)).toEqual(bytes);
        expect(decodeBase64(text.replace(/=+$/, ''))).toEqual(bytes);
      }),
    );
  });

  it('refuses what is not base64', () => {
    for (const text of ['a', 'Zg=', 'Zm9v=', 'ab-c', 'ab_c', 'a b', '===', 'Z=g='])
      expect(decodeBase64(text), text).toBeUndefined();
  });
});
