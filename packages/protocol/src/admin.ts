/** Wire shapes of the organization admin routes (PROTOCOL §6). */
import { z } from 'zod';
import { timestampSchema } from './ids.ts';

export const orgDeviceSchema = z.object({
  deviceId: z.uuid(),
  deviceName: z.string(),
  userId: z.uuid(),
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
});
export type OrgDevice = z.infer<typeof orgDeviceSchema>;
export const orgDevicesResponseSchema = z.object({ devices: z.array(orgDeviceSchema) });

export const auditQuerySchema = z.strictObject({
  table: z.string().max(64).optional(),
  recordId: z.uuid().optional(),
  userId: z.uuid().optional(),
  deviceId: z.uuid().optional(),
  since: timestampSchema.optional(),
  until: timestampSchema.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z.object({
  at: timestampSchema,
  userId: z.uuid(),
  deviceId: z.uuid().nullable(),
  table: z.string(),
  recordId: z.uuid(),
  op: z.enum(['INSERT', 'UPDATE', 'DELETE']),
  version: z.number().int(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditResponseSchema = z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
