/**
 * An outbox event: its stored form in `_outbox` decoded, and its wire form
 * (PROTOCOL §3). Read by the queue (outbox.ts) and by settling a batch's
 * answers (settle-results.ts).
 */
import { withLocalOffset, type Op, type SyncEvent, type TableName } from '@clinicsync/protocol';
import type { RefusedEvent } from './conflict-records.ts';
import type { SqlRow } from './sqlite-database.ts';

/** Why an event is held back: the server failed on it alone every time it was sent (push-loop.ts). */
export type HeldReason = {
  readonly code: string;
  readonly message: string;
  readonly attempts: number;
  readonly retryAt: string;
};

export type OutboxEvent = RefusedEvent & {
  readonly seq: number;
  readonly baseVersion: number;
  readonly createdAt: string;
  /** When a push first carried it; null = never sent (a resolution it carries can still be undone). */
  readonly sentAt?: string | null;
  /** Set while the event is held back; null otherwise. */
  readonly held?: HeldReason | null;
};

export type CompleteSummary = {
  readonly applied: number;
  readonly conflicts: number;
  readonly rejected: number;
  /** Events of the batch the answer did not mention: they stay in the outbox. */
  readonly unanswered: number;
};

/** An `_outbox` row as the event it stores. */
export function decodeEvent(stored: SqlRow): OutboxEvent {
  return {
    seq: Number(stored.seq),
    eventId: String(stored.event_id),
    table: String(stored.table_name) as TableName,
    recordId: String(stored.record_id),
    op: String(stored.op) as Op,
    baseVersion: Number(stored.base_version),
    data: stored.data === null ? null : (JSON.parse(String(stored.data)) as Record<string, unknown>),
    createdAt: String(stored.created_at),
    sentAt: (stored.sent_at as string | null | undefined) ?? null,
    held:
      stored.held_code === null || stored.held_code === undefined
        ? null
        : {
            code: String(stored.held_code),
            message: String(stored.held_message ?? ''),
            attempts: Number(stored.attempts ?? 0),
            retryAt: String(stored.retry_at ?? ''),
          },
  };
}

/** The wire form of an outbox event (PROTOCOL §3). */
export function toSyncEvent(event: OutboxEvent): SyncEvent {
  return {
    eventId: event.eventId as SyncEvent['eventId'],
    table: event.table,
    op: event.op,
    recordId: event.recordId,
    baseVersion: event.baseVersion,
    ...(event.data === null ? {} : { data: { ...event.data } }),
    // Stored in UTC (sorted as text); sent in the device's offset, so the
    // server knows the clinic's calendar day, e.g. for a birth date today.
    createdAt: withLocalOffset(event.createdAt),
  };
}
