import { describe, expect, it } from 'vitest';
import { sha256Hex, webCryptoSha256Hex } from './sha256-hex.ts';

describe('sha256Hex', () => {
  it('is the standard SHA-256 (known answer)', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await webCryptoSha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each([
    ['empty', ''],
    ['non-ASCII', 'Amina Okafor — clinique, 東京, 🙂'],
    ['a lone surrogate', 'a\ud800b'],
    ['a long text', 'x'.repeat(100_000)],
  ])('gives the same digest on the built-in and the WebCrypto path for %s', async (_name, text) => {
    expect(await sha256Hex(text)).toBe(await webCryptoSha256Hex(text));
  });
});
