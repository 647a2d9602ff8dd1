/**
 * The opaque paging cursor of the audit trail (PROTOCOL §6). It holds the
 * organization and the sequence number of the last entry sent; the next page
 * continues strictly below it (entries are newest first). Clients pass it
 * back untouched; anything that does not decode to this organization's
 * position is `400 invalid_request`.
 */
import { ApiError, decodeBase64Url, encodeBase64UrlText, type OrganizationId } from '@clinicsync/protocol';
import { z } from 'zod';

const positionSchema = z.strictObject({
  v: z.literal(1),
  o: z.uuid(),
  s: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/** Encodes "after this entry" for `organizationId` (base64url JSON; Web-standard APIs only). */
export function encodeAuditCursor(organizationId: OrganizationId, seq: number): string {
  return encodeBase64UrlText(JSON.stringify({ v: 1, o: organizationId, s: seq }));
}

/** The sequence number a cursor continues below; throws `400 invalid_request` for a malformed or foreign cursor. */
export function decodeAuditCursor(cursor: string, organizationId: OrganizationId): number {
  const position = positionSchema.safeParse(parseCursorJson(cursor));
  // A cursor of another organization is refused rather than silently
  // reinterpreted: it is a client bug (or a probe), never a real position here.
  if (!position.success || position.data.o !== organizationId) throw invalidCursor();
  return position.data.s;
}

function parseCursorJson(cursor: string): unknown {
  const bytes = decodeBase64Url(cursor);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

function invalidCursor(): ApiError {
  return new ApiError('invalid_request', 'The audit cursor is not valid; start again without a cursor.', {
    details: { issues: [{ path: 'cursor', code: 'invalid_cursor' }] },
  });
}
