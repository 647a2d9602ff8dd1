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

export const recordIdSchema = uuidSchema.brand<'RecordId'>();
export const eventIdSchema = uuidSchema.brand<'EventId'>();
export const deviceIdSchema = uuidSchema.brand<'DeviceId'>();
export const organizationIdSchema = uuidSchema.brand<'OrganizationId'>();
export const userIdSchema = uuidSchema.brand<'UserId'>();
export const versionSchema = z.number().int().min(0).brand<'Version'>();
export const cursorSchema = z.string().max(100_000).brand<'Cursor'>();

export type RecordId = z.infer<typeof recordIdSchema>;
export type EventId = z.infer<typeof eventIdSchema>;
export type DeviceId = z.infer<typeof deviceIdSchema>;
export type OrganizationId = z.infer<typeof organizationIdSchema>;
export type UserId = z.infer<typeof userIdSchema>;
export type Version = z.infer<typeof versionSchema>;
export type Cursor = z.infer<typeof cursorSchema>;

/** ISO-8601 UTC timestamp as sent on the wire. */
export const timestampSchema = z.iso.datetime({ offset: true });
