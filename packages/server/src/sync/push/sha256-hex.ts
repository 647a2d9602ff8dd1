/**
 * Hex SHA-256 of a UTF-8 string, for event fingerprints. The pipeline is
 * written for Web-standard APIs (DESIGN principle 7), and WebCrypto is what
 * runs on an edge runtime. On Node, though, every `crypto.subtle.digest`
 * call costs about 20 µs of main-thread time for a few hundred bytes — a
 * fifth of a whole pushed event's budget (bench/README.md) — while the
 * built-in synchronous hash computes the same digest in about 2 µs. So the
 * built-in is used where the runtime has one, found at run time through
 * `process.getBuiltinModule` (no import: the module still loads where
 * there is no `node:crypto`), and WebCrypto everywhere else. Both give the
 * same bytes; a test checks that they agree.
 */

type SyncSha256 = (text: string) => string;

/** Node's synchronous SHA-256, when this runtime has it. Resolved once; never changes. */
const builtinSha256: SyncSha256 | undefined = findBuiltinSha256();

/** Hex SHA-256 of `text` (UTF-8). */
export function sha256Hex(text: string): string | Promise<string> {
  return builtinSha256 ? builtinSha256(text) : webCryptoSha256Hex(text);
}

/** The WebCrypto path, also used by tests to check both paths agree. */
export async function webCryptoSha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  // A lookup table instead of 32 toString/padStart calls: this runs for every event of every batch.
  let hex = '';
  for (const byte of digest) hex += HEX[byte];
  return hex;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function findBuiltinSha256(): SyncSha256 | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const builtin = runtime?.getBuiltinModule?.('node:crypto') as { createHash?: (algorithm: string) => Hash } | undefined;
  const createHash = builtin?.createHash;
  if (typeof createHash !== 'function') return undefined;
  return (text) => createHash('sha256').update(text, 'utf8').digest('hex');
}

type Hash = { update(data: string, encoding: 'utf8'): Hash; digest(encoding: 'hex'): string };
