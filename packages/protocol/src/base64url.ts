/**
 * base64url (RFC 4648 §5, without padding) for tokens, cursors and signed
 * links, and plain base64 (§4) for stored salts and hashes. Web-standard APIs
 * only (`btoa`/`atob`, no Node `Buffer`), so the server pipeline, the engine,
 * the browser app and an edge runtime share these spellings.
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

/** `bytes` as standard base64 (RFC 4648 §4), padded. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The bytes of standard base64 `text`, padded or not; undefined for anything that is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const unpadded = text.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(unpadded) || unpadded.length % 4 === 1) return undefined;
  if (unpadded !== text && text.length % 4 !== 0) return undefined;
  const binary = atob(unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
