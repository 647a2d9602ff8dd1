/** Wire shapes of the organization admin routes (PROTOCOL §6). */
import { z } from 'zod';
import { deviceIdSchema, organizationIdSchema, timestampSchema, userIdSchema, uuidSchema } from './ids.ts';
import { TABLE_NAMES, type TableName } from './registry/index.ts';

export const orgDeviceSchema = z.object({
  deviceId: uuidSchema,
  deviceName: z.string(),
  userId: uuidSchema,
  userName: z.string(),
  pending: z.number().int().nullable(),
  oldestPendingAt: timestampSchema.nullable(),
  openConflicts: z.number().int().nullable(),
  deadLetters: z.number().int().nullable(),
  lastPushAt: timestampSchema.nullable(),
  lastPullAt: timestampSchema.nullable(),
  schemaVersion: z.number().int().nullable(),
  appVersion: z.string().nullable(),
  syncTokenRevoked: z.boolean(),
  /** Computed from the outbox report and last contact; thresholds in `DEVICE_HEALTH_THRESHOLDS`. */
  health: z.enum(['ok', 'warning', 'stale']),
  /** Why the device is not `ok`, for people ("pending for 3 days", "not seen for 2 weeks"); null when ok. */
  staleness: z.string().nullable(),
});
export type OrgDevice = z.infer<typeof orgDeviceSchema>;
export const orgDevicesResponseSchema = z.object({ devices: z.array(orgDeviceSchema) });
export type OrgDevicesResponse = z.infer<typeof orgDevicesResponseSchema>;

export const auditQuerySchema = z.strictObject({
  table: z.enum(TABLE_NAMES as readonly [TableName, ...TableName[]]).optional(),
  recordId: uuidSchema.optional(),
  userId: uuidSchema.optional(),
  deviceId: uuidSchema.optional(),
  since: timestampSchema.optional(),
  until: timestampSchema.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z.object({
  at: timestampSchema,
  userId: uuidSchema,
  deviceId: uuidSchema.nullable(),
  table: z.string(),
  recordId: uuidSchema,
  op: z.enum(['INSERT', 'UPDATE', 'DELETE']),
  version: z.number().int(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  /** The author's current display name (null if the account no longer exists). */
  userName: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditResponseSchema = z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
export type AuditResponse = z.infer<typeof auditResponseSchema>;

/** Device health: `warning` / `stale` when the oldest unsent edit is this old, `stale` when not seen for this long. */
export const DEVICE_HEALTH_THRESHOLDS = {
  pendingWarningMs: 24 * 60 * 60 * 1000,
  pendingStaleMs: 3 * 24 * 60 * 60 * 1000,
  unseenStaleMs: 7 * 24 * 60 * 60 * 1000,
} as const;
export type DeviceHealth = OrgDevice['health'];

/** Path parameters of the organization admin routes. */
export const orgParamsSchema = z.object({ orgId: organizationIdSchema });
export const orgDeviceParamsSchema = z.object({ orgId: organizationIdSchema, deviceId: deviceIdSchema });

/** `DELETE /v1/orgs/:orgId/devices/:deviceId?userId=`: without `userId`, every member's token on that device is revoked. */
export const revokeOrgDeviceQuerySchema = z.strictObject({ userId: userIdSchema.optional() });
export const revokeOrgDeviceResponseSchema = z.object({ ok: z.literal(true) });
export type RevokeOrgDeviceResponse = z.infer<typeof revokeOrgDeviceResponseSchema>;
