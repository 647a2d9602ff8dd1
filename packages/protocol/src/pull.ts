/** Wire shapes of `GET /v1/sync/pull` (PROTOCOL §4). */
import { z } from 'zod';
import { cursorSchema, deviceIdSchema } from './ids.ts';

export const DEFAULT_PULL_LIMIT = 1000;
export const MAX_PULL_LIMIT = 5000;

export const pullQuerySchema = z.strictObject({
  deviceId: deviceIdSchema,
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
  schemaVersion: z.coerce.number().int().min(1),
});
export type PullQuery = z.infer<typeof pullQuerySchema>;

export const changeSchema = z.object({
  table: z.string(),
  recordId: z.uuid(),
  op: z.enum(['UPSERT', 'DELETE']),
  version: z.number().int(),
  organizationId: z.uuid(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type Change = z.infer<typeof changeSchema>;

export const pullResponseSchema = z.object({
  changes: z.array(changeSchema),
  cursor: cursorSchema,
  hasMore: z.boolean(),
  revokedOrganizations: z.array(z.uuid()),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

export const schemaResponseSchema = z.object({
  current: z.number().int(),
  minSupported: z.number().int(),
  tables: z.record(z.string(), z.unknown()),
});
export type SchemaResponse = z.infer<typeof schemaResponseSchema>;
