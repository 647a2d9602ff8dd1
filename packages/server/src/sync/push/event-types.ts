/**
 * The values that travel between the push pipeline's steps (docs/architecture.md §6):
 * an event after validation, the same event once its organization is known,
 * a stored row as the steps read it, and a refusal.
 */
import type { EventId, Op, RejectionCode, TableName, TableSpec, Version } from '@clinicsync/protocol';

/** Who pushes: the user and device of the sync token, never taken from the body. */
export type Actor = { readonly userId: string; readonly deviceId: string };

/** A column name of the registry (never a payload key that was not checked against it). */
export type FieldName = string;

/** An event whose envelope and `data` passed the registry's schemas. DELETE carries `{}`. */
export type ValidEvent = {
  readonly eventId: EventId;
  readonly table: TableName;
  readonly spec: TableSpec;
  readonly op: Op;
  readonly recordId: string;
  readonly baseVersion: number;
  readonly data: Readonly<Record<FieldName, unknown>>;
  /** When and on whose calendar the device wrote it (`createdAt` as sent): the writer's "today". */
  readonly createdAt?: string;
};

/** A valid event with the organization it belongs to, resolved from the server's database. */
export type ScopedEvent = ValidEvent & { readonly organizationId: string };

/** A synced row as stored, split into system columns and registry columns. */
export type StoredRow = {
  readonly id: string;
  readonly version: Version;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly deleted: boolean;
  /** The version at which each field last changed; fields absent here last changed at version 1. */
  readonly fieldVersions: Readonly<Record<FieldName, number>>;
  /** Registry columns only, every column of the spec present (null when empty). */
  readonly values: Readonly<Record<FieldName, unknown>>;
};

/** A refused event: a rejection code from the protocol and a sentence that never quotes values. */
export type Rejection = {
  readonly kind: 'rejected';
  readonly code: RejectionCode;
  readonly message: string;
  /** Names of what was refused (`{ fields: [...] }`), never values. */
  readonly details?: Readonly<Record<string, unknown>>;
};

/** Builds a refusal. */
export function reject(code: RejectionCode, message: string, details?: Readonly<Record<string, unknown>>): Rejection {
  return details === undefined ? { kind: 'rejected', code, message } : { kind: 'rejected', code, message, details };
}
