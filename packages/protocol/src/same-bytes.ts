/** Compares two byte strings in time that does not depend on where they differ (password and key checks). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** `sameBytes` for two texts (secrets, tokens), compared as their UTF-8 bytes. */
export function sameText(given: string, expected: string): boolean {
  const encoder = new TextEncoder();
  return sameBytes(encoder.encode(given), encoder.encode(expected));
}
