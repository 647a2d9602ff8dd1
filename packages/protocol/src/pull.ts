/** Wire shapes of `GET /v1/sync/pull` (PROTOCOL §4). */
import { z } from 'zod';
import { cursorSchema, deviceIdSchema, uuidSchema } from './ids.ts';
import { schemaVersionQuerySchema } from './wire-schema-version.ts';

export const DEFAULT_PULL_LIMIT = 1000;
export const MAX_PULL_LIMIT = 5000;
/**
 * The longest `wait` a pull may ask for, in seconds (PROTOCOL §4 "Live",
 * docs/protocol.md "Live pull"). Below the 60 s idle timeout common to
 * proxies and load balancers, so a waiting pull is never cut by one.
 */
export const MAX_PULL_WAIT_SECONDS = 55;
/** The wait the engine asks for: well below proxies' idle timeouts, long enough that an idle device asks about twice a minute. */
export const DEFAULT_PULL_WAIT_SECONDS = 25;
/**
 * The most organizations one person may belong to at once. A pull cursor
 * holds a position per organization and travels in the query string, so this
 * keeps it far below the request-header limits of servers and proxies.
 */
export const MAX_MEMBERSHIPS_PER_USER = 50;

export const pullQuerySchema = z.strictObject({
  deviceId: deviceIdSchema,
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
  schemaVersion: schemaVersionQuerySchema,
  /**
   * Seconds the server may hold the pull while there is nothing to send
   * (0, the default: answer at once). It answers as soon as a change exists
   * or arrives, else with an empty page when the time is up.
   */
  wait: z.coerce.number().int().min(0).max(MAX_PULL_WAIT_SECONDS).default(0),
});
export type PullQuery = z.infer<typeof pullQuerySchema>;

export const changeSchema = z.object({
  table: z.string(),
  recordId: uuidSchema,
  op: z.enum(['UPSERT', 'DELETE']),
  version: z.number().int(),
  organizationId: uuidSchema,
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type Change = z.infer<typeof changeSchema>;

export const pullResponseSchema = z.object({
  changes: z.array(changeSchema),
  cursor: cursorSchema,
  hasMore: z.boolean(),
  revokedOrganizations: z.array(uuidSchema),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

export const schemaResponseSchema = z.object({
  current: z.number().int(),
  minSupported: z.number().int(),
  tables: z.record(z.string(), z.unknown()),
});
export type SchemaResponse = z.infer<typeof schemaResponseSchema>;

/** One column as `GET /v1/sync/schema` describes it: its registry entry plus the schema version it appeared in. */
export const schemaColumnDescriptionSchema = z.object({
  type: z.enum(['uuid', 'text', 'enum', 'date', 'timestamp', 'integer', 'number', 'boolean']),
  required: z.boolean(),
  label: z.string(),
  since: z.number().int().min(1),
  maxLength: z.number().int().optional(),
  multiline: z.boolean().optional(),
  /** A code compared as exact text: never blank, no blanks around it (a clinic number). */
  code: z.boolean().optional(),
  values: z.array(z.string()).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  references: z.string().optional(),
});
export type SchemaColumnDescription = z.infer<typeof schemaColumnDescriptionSchema>;

/** One table as `GET /v1/sync/schema` describes it (PROTOCOL §2, §5). */
export const schemaTableDescriptionSchema = z.object({
  label: z.string(),
  columns: z.record(z.string(), schemaColumnDescriptionSchema),
  scope: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('self') }),
    z.object({ kind: z.literal('column'), column: z.string() }),
    z.object({ kind: z.literal('parent'), column: z.string(), parent: z.string() }),
  ]),
  writeRoles: z.array(z.string()),
  immutable: z.array(z.string()),
  strict: z.union([z.array(z.string()), z.literal('all')]),
});
export type SchemaTableDescription = z.infer<typeof schemaTableDescriptionSchema>;
