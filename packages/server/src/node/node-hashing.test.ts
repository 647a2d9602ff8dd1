import { describe, expect, it } from 'vitest';
import { nodeHashing } from './node-hashing.ts';

async function webCryptoSha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function webCryptoHmac(key: Uint8Array, message: string): Promise<Uint8Array> {
  const imported = await crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, new TextEncoder().encode(message)));
}

describe('nodeHashing', () => {
  it('is the standard SHA-256 (known answer)', () => {
    expect(nodeHashing.sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each([
    ['empty', ''],
    ['non-ASCII', 'Amina Okafor — clinique, 東京, 🙂'],
    ['a lone surrogate', 'a\ud800b'],
    ['a long text', 'x'.repeat(100_000)],
  ])('gives the digest and HMAC WebCrypto gives for %s, so every runtime agrees', async (_name, text) => {
    expect(nodeHashing.sha256Hex(text)).toBe(await webCryptoSha256Hex(text));
    const key = new Uint8Array(32).fill(7);
    expect(nodeHashing.hmacSha256(key, text)).toEqual(await webCryptoHmac(key, text));
  });
});
