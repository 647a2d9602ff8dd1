/**
 * The pull cursor (PROTOCOL §4, docs/style.md §2): the only file that encodes or
 * decodes one. A cursor is `c1.<payload>.<mac>`:
 *
 * - `payload` is base64url JSON `{ s: schemaVersion, p: [[organizationId, membershipId, seq], …] }`,
 *   one position (last change sent) per organization, sorted by organization id.
 *   The membership id ties a position to one membership: a user removed and
 *   added again gets a new `members` row, so that organization restarts at 0.
 * - `mac` is HMAC-SHA256 (WebCrypto, docs/architecture.md, principle 7) with the server's
 *   cursor key over the holder (user and device) and the payload. A cursor is
 *   therefore only valid for the device it was issued to: presented by anyone
 *   else it is `foreign`, exactly like a tampered one.
 *
 * Ids keep the spelling the database gave them (no binary packing), so a
 * position always matches its membership row exactly.
 */
import { z } from 'zod';
import type { Cursor } from '@clinicsync/protocol';
import { assert, decodeBase64Url, encodeBase64Url, encodeBase64UrlText } from '@clinicsync/protocol';

/** How far a device has read one organization's change log. */
export type CursorPosition = {
  readonly organizationId: string;
  /** The `members` row the position was earned under. */
  readonly membershipId: string;
  /** Last change-log `seq` sent for this organization (0: nothing yet). */
  readonly seq: number;
};

export type CursorState = {
  /** The schema version the rows so far were translated for. */
  readonly schemaVersion: number;
  readonly positions: readonly CursorPosition[];
};

/** Who a cursor is issued to; part of the signature, not of the payload. */
export type CursorHolder = { readonly userId: string; readonly deviceId: string };

export type DecodedCursor =
  | { readonly kind: 'valid'; readonly state: CursorState }
  /** `unknown_format`: not a cursor of a version we write; `foreign`: bad signature (tampered, another device's, another key); `malformed`: signed but unreadable (a bug). */
  | { readonly kind: 'invalid'; readonly reason: 'unknown_format' | 'foreign' | 'malformed' };

export type CursorCodec = {
  /** Signs `state` for `holder`. Positions must be sorted by organization id without duplicates. */
  encode(holder: CursorHolder, state: CursorState): Promise<Cursor>;
  /** Verifies and reads a cursor; never throws on client input. */
  decode(holder: CursorHolder, cursor: string): Promise<DecodedCursor>;
};

const PREFIX = 'c1.';
const MAC_BYTES = 32;

const idSchema = z.string().min(1).max(64);
const payloadSchema = z.strictObject({
  s: z.number().int().min(1).max(65_535),
  p: z.array(z.tuple([idSchema, idSchema, z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)])).max(10_000),
});

/** A codec bound to one cursor key (`deps.secrets.cursorKey`); the WebCrypto key is imported once per codec. */
export function createCursorCodec(rawKey: Uint8Array): CursorCodec {
  let key: Promise<CryptoKey> | undefined;
  const cryptoKey = () =>
    (key ??= crypto.subtle.importKey('raw', toArrayBuffer(rawKey), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]));

  return {
    async encode(holder, state) {
      assertSortedUnique(state.positions);
      const payload = {
        s: state.schemaVersion,
        p: state.positions.map((p) => [p.organizationId, p.membershipId, p.seq]),
      };
      assert(payloadSchema.safeParse(payload).success, 'cursor state out of range');
      const body = PREFIX + encodeBase64UrlText(JSON.stringify(payload));
      const mac = await crypto.subtle.sign('HMAC', await cryptoKey(), signedBytes(holder, body));
      return `${body}.${encodeBase64Url(new Uint8Array(mac))}` as Cursor;
    },

    async decode(holder, cursor) {
      if (!cursor.startsWith(PREFIX)) return { kind: 'invalid', reason: 'unknown_format' };
      const dot = cursor.lastIndexOf('.');
      if (dot <= PREFIX.length) return { kind: 'invalid', reason: 'unknown_format' };
      const body = cursor.slice(0, dot);
      const mac = fromBase64Url(cursor.slice(dot + 1));
      if (!mac || mac.length !== MAC_BYTES) return { kind: 'invalid', reason: 'foreign' };
      // `verify` compares in constant time.
      const authentic = await crypto.subtle.verify(
        'HMAC',
        await cryptoKey(),
        toArrayBuffer(mac),
        signedBytes(holder, body),
      );
      if (!authentic) return { kind: 'invalid', reason: 'foreign' };
      const state = readPayload(body.slice(PREFIX.length));
      return state ? { kind: 'valid', state } : { kind: 'invalid', reason: 'malformed' };
    },
  };
}

function readPayload(encoded: string): CursorState | undefined {
  const bytes = fromBase64Url(encoded);
  if (!bytes) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const positions = parsed.data.p.map(([organizationId, membershipId, seq]) => ({ organizationId, membershipId, seq }));
  if (!isSortedUnique(positions)) return undefined;
  return { schemaVersion: parsed.data.s, positions };
}

function signedBytes(holder: CursorHolder, body: string): ArrayBuffer {
  // Newlines cannot occur in ids or in the base64url body, so the parts cannot be shifted into each other.
  return toArrayBuffer(new TextEncoder().encode(`${holder.userId}\n${holder.deviceId}\n${body}`));
}

function isSortedUnique(positions: readonly CursorPosition[]): boolean {
  return positions.every((p, i) => i === 0 || positions[i - 1]!.organizationId < p.organizationId);
}

function assertSortedUnique(positions: readonly CursorPosition[]): void {
  assert(isSortedUnique(positions), 'cursor positions must be sorted by organization id, without duplicates');
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

// Only the canonical spelling is accepted, so one cursor has exactly one text.
function fromBase64Url(text: string): Uint8Array | undefined {
  return decodeBase64Url(text, { canonical: true });
}
