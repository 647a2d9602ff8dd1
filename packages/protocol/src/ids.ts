/**
 * Branded identifiers and counters: each has one parser at the boundary so a
 * device id can never be passed where an organization id is expected.
 */
import { z } from 'zod';

/**
 * A UUID in its canonical lowercase form. UUIDs compare case-insensitively
 * (RFC 9562), but the server compares ids as text, so every id is folded to
 * lowercase where it enters: an uppercase twin can never name another row.
 */
export const uuidSchema = z.uuid().overwrite((id) => id.toLowerCase());

/**
 * `text` in its canonical lowercase form when it is a UUID, anything else as it is: for ids read where a
 * non-UUID is answered by the route itself (a FHIR id, a fingerprinted event as sent), not refused as malformed.
 */
export function canonicalId(text: string): string {
  if (!/[A-F]/.test(text)) return text;
  const parsed = uuidSchema.safeParse(text);
  return parsed.success ? parsed.data : text;
}

export const recordIdSchema = uuidSchema.brand<'RecordId'>();
export const eventIdSchema = uuidSchema.brand<'EventId'>();
export const deviceIdSchema = uuidSchema.brand<'DeviceId'>();
export const organizationIdSchema = uuidSchema.brand<'OrganizationId'>();
export const userIdSchema = uuidSchema.brand<'UserId'>();
export const versionSchema = z.number().int().min(0).brand<'Version'>();
/**
 * The longest pull cursor a server accepts or issues, in characters. A cursor
 * travels in the query string, and Node refuses a request whose request line
 * and headers pass 16 KiB: 8 KiB leaves room for the rest of the URL and the
 * headers. A cursor of `MAX_MEMBERSHIPS_PER_USER` organizations is about 6.6 KiB
 * at most (sync/pull/cursor.test.ts checks it); a longer one is `400 invalid_request`.
 */
export const MAX_CURSOR_LENGTH = 8192;
export const cursorSchema = z.string().max(MAX_CURSOR_LENGTH).brand<'Cursor'>();

export type RecordId = z.infer<typeof recordIdSchema>;
export type EventId = z.infer<typeof eventIdSchema>;
export type DeviceId = z.infer<typeof deviceIdSchema>;
export type OrganizationId = z.infer<typeof organizationIdSchema>;
export type UserId = z.infer<typeof userIdSchema>;
export type Version = z.infer<typeof versionSchema>;
export type Cursor = z.infer<typeof cursorSchema>;

/** ISO-8601 UTC timestamp as sent on the wire. */
export const timestampSchema = z.iso.datetime({ offset: true });
