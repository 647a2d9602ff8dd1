/**
 * base64url (RFC 4648 §5, without padding) for tokens, cursors and signed
 * links. Web-standard APIs only (`btoa`/`atob`, no Node `Buffer`), so the
 * server pipeline, the engine and an edge runtime share this one spelling.
 */

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** `bytes` as base64url without padding. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `text` (UTF-8) as base64url without padding. */
export function encodeBase64UrlText(text: string): string {
  return encodeBase64Url(new TextEncoder().encode(text));
}

/**
 * The bytes of base64url `text` (unpadded); undefined for anything that is
 * not base64url. With `canonical`, also for a spelling `encodeBase64Url` would
 * not write (the spare low bits of the last character set), so that a signed
 * value has exactly one text.
 */
export function decodeBase64Url(text: string, options: { readonly canonical?: boolean } = {}): Uint8Array | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (options.canonical && encodeBase64Url(bytes) !== text) return undefined;
  return bytes;
}
