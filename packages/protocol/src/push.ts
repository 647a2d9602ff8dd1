/** Wire shapes of `POST /v1/sync/push` (PROTOCOL §3). */
import { z } from 'zod';
import { REJECTION_CODES } from './errors.ts';
import { deviceIdSchema, eventIdSchema, timestampSchema, uuidSchema, organizationIdSchema } from './ids.ts';
import { storableString, storedInteger } from './storable.ts';
import { schemaVersionSchema } from './wire-schema-version.ts';

export const MAX_BATCH = 500;
export const OPS = ['INSERT', 'UPDATE', 'DELETE'] as const;
export type Op = (typeof OPS)[number];

/** Entries of a per-organization outbox report: above the 50-organization cap, for organizations a device still holds work of after leaving. */
export const MAX_OUTBOX_ORGANIZATIONS = 100;

/** One organization's share of a device's outbox (PROTOCOL §6, 2026-12). */
export const organizationOutboxSchema = z.strictObject({
  organizationId: organizationIdSchema,
  // Counts are stored in integer columns: beyond 2^31−1 is refused as 400, not a 500 (storable.ts).
  pending: storedInteger(0),
  oldestPendingAt: timestampSchema.nullable().optional(),
  openConflicts: storedInteger(0).optional(),
  deadLetters: storedInteger(0).optional(),
});
export type OrganizationOutbox = z.infer<typeof organizationOutboxSchema>;

/**
 * The device's outbox. The totals are the v1 report; `organizations` (2026-12)
 * splits them per organization, listing every organization with anything to
 * report (one left out has nothing). A report without the split is still
 * accepted: docs/protocol.md §6 says how it is attributed.
 */
export const outboxReportSchema = z.strictObject({
  pending: storedInteger(0),
  oldestPendingAt: timestampSchema.nullable().optional(),
  openConflicts: storedInteger(0).optional(),
  deadLetters: storedInteger(0).optional(),
  organizations: z.array(organizationOutboxSchema).max(MAX_OUTBOX_ORGANIZATIONS).optional(),
});
export type OutboxReport = z.infer<typeof outboxReportSchema>;

/**
 * The envelope of one event. Only `eventId` must be well formed for the
 * request to be accepted: everything else is checked per event by the push
 * pipeline, so one bad event is answered `rejected` instead of failing its
 * whole batch.
 */
export const pushEventSchema = z.object({
  eventId: eventIdSchema,
  table: z.unknown(),
  op: z.unknown(),
  recordId: z.unknown(),
  baseVersion: z.unknown().optional(),
  data: z.unknown().optional(),
  createdAt: z.unknown().optional(),
});
export type PushEventEnvelope = z.infer<typeof pushEventSchema>;

/** The fully checked shape of an event, applied by `validateEvent`. */
export const syncEventSchema = z.strictObject({
  eventId: eventIdSchema,
  table: z.string().min(1).max(64),
  op: z.enum(OPS),
  recordId: uuidSchema,
  /** Required for UPDATE and DELETE; an INSERT without one is based on version 0. */
  // Versions are stored in integer columns; no server ever gave out a larger one (storable.ts).
  baseVersion: storedInteger(0).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  /** When the edit was made on the device (informational: the server orders by its own clock). */
  createdAt: timestampSchema.optional(),
});
export type SyncEvent = z.infer<typeof syncEventSchema>;

export const pushRequestSchema = z.strictObject({
  deviceId: deviceIdSchema,
  schemaVersion: schemaVersionSchema,
  appVersion: storableString().max(50).optional(),
  outbox: outboxReportSchema.optional(),
  events: z.array(pushEventSchema),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

const appliedSchema = z.object({ status: z.literal('applied'), version: z.number().int() });
const conflictSchema = z.object({
  status: z.literal('conflict'),
  serverVersion: z.number().int(),
  serverRecord: z.record(z.string(), z.unknown()).nullable(),
  fields: z.array(z.string()),
});
const rejectedSchema = z.object({
  status: z.literal('rejected'),
  code: z.enum(REJECTION_CODES),
  message: z.string(),
  /** Which fields were refused (`{ fields: [...] }`, e.g. for `out_of_range`): names only, never the values. */
  details: z.record(z.string(), z.unknown()).optional(),
});

/** What an event ended as, the first time it was processed. */
export const originalOutcomeSchema = z.discriminatedUnion('status', [appliedSchema, conflictSchema, rejectedSchema]);
export type OriginalOutcome = z.infer<typeof originalOutcomeSchema>;

export const eventResultSchema = z.discriminatedUnion('status', [
  appliedSchema.extend({ eventId: eventIdSchema }),
  z.object({ eventId: eventIdSchema, status: z.literal('duplicate'), original: originalOutcomeSchema }),
  conflictSchema.extend({ eventId: eventIdSchema }),
  rejectedSchema.extend({ eventId: eventIdSchema }),
]);
export type EventResult = z.infer<typeof eventResultSchema>;

export const pushResponseSchema = z.object({ results: z.array(eventResultSchema), serverTime: timestampSchema });
export type PushResponse = z.infer<typeof pushResponseSchema>;
