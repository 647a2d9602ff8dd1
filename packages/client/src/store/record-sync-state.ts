/**
 * The sync state of each record, as a clinician sees it beside the record
 * (docs/conflict-resolution.md "Record sync state"): sent, not sent yet
 * (possibly held back, with the reason), refused (a dead letter), or in
 * conflict. A record shows the most pressing of its states.
 */
import type { Op, TableName } from '@clinicsync/protocol';
import type { SqlRow } from './sqlite-database.ts';
import type { StoreContext } from './store-context.ts';

export const RECORD_SYNC_STATES = ['sent', 'not_sent', 'refused', 'in_conflict'] as const;
export type RecordSyncStateName = (typeof RECORD_SYNC_STATES)[number];

/** A queued change the server failed on alone every time; it stays queued and is retried. */
export type HeldChange = {
  readonly eventId: string;
  readonly table: TableName;
  readonly recordId: string;
  readonly op: Op;
  readonly data: Record<string, unknown> | null;
  readonly createdAt: string;
  readonly code: string;
  readonly message: string;
  readonly attempts: number;
  readonly retryAt: string;
};

export type RecordSyncState =
  /** Nothing of this record waits or was refused: the server has what this device shows. */
  | { readonly state: 'sent' }
  /** Changes queued; `held` is set when one of them is held back. */
  | {
      readonly state: 'not_sent';
      readonly pending: number;
      readonly held: { readonly code: string; readonly message: string } | null;
    }
  /** A change of the record was refused for good: see the dead letters. */
  | { readonly state: 'refused'; readonly deadLetterIds: readonly string[]; readonly pending: number }
  /** An open conflict waits for a decision: see the conflict inbox. */
  | { readonly state: 'in_conflict'; readonly conflictIds: readonly string[]; readonly pending: number };

export type RecordSyncEntry = {
  readonly table: TableName;
  readonly recordId: string;
  readonly sync: Exclude<RecordSyncState, { state: 'sent' }>;
};

type Tally = {
  pending: number;
  held: { code: string; message: string } | null;
  conflicts: string[];
  deadLetters: string[];
};

function tally(ctx: StoreContext, where: string, params: readonly string[]): Map<string, Tally> {
  const byRecord = new Map<string, Tally>();
  const entry = (row: SqlRow) => {
    const key = `${String(row.table_name)}\u0000${String(row.record_id)}`;
    let t = byRecord.get(key);
    if (!t) byRecord.set(key, (t = { pending: 0, held: null, conflicts: [], deadLetters: [] }));
    return t;
  };
  for (const row of ctx.db.all(
    `SELECT table_name, record_id, held_code, held_message FROM _outbox ${where} ORDER BY seq`,
    params,
  )) {
    const t = entry(row);
    t.pending += 1;
    if (row.held_code !== null && t.held === null)
      t.held = { code: String(row.held_code), message: String(row.held_message ?? '') };
  }
  for (const row of ctx.db.all(
    `SELECT id, table_name, record_id FROM _conflicts ${where ? `${where} AND` : 'WHERE'} resolution IS NULL ORDER BY created_at, rowid`,
    params,
  )) {
    entry(row).conflicts.push(String(row.id));
  }
  for (const row of ctx.db.all(
    `SELECT id, table_name, record_id FROM _dead_letters ${where} ORDER BY created_at, rowid`,
    params,
  ))
    entry(row).deadLetters.push(String(row.id));
  return byRecord;
}

function toState(t: Tally | undefined): RecordSyncState {
  if (!t) return { state: 'sent' };
  if (t.conflicts.length > 0) return { state: 'in_conflict', conflictIds: t.conflicts, pending: t.pending };
  if (t.deadLetters.length > 0) return { state: 'refused', deadLetterIds: t.deadLetters, pending: t.pending };
  if (t.pending > 0) return { state: 'not_sent', pending: t.pending, held: t.held };
  return { state: 'sent' };
}

/** The sync state of one record. */
export function recordSyncState(ctx: StoreContext, table: TableName, recordId: string): RecordSyncState {
  return toState(
    tally(ctx, 'WHERE table_name = ? AND record_id = ?', [table, recordId]).get(`${table}\u0000${recordId}`),
  );
}

/** Every record whose state is not `sent` (optionally of one table): few, so a list can mark its rows. */
export function recordSyncStates(ctx: StoreContext, table?: TableName): RecordSyncEntry[] {
  const entries: RecordSyncEntry[] = [];
  for (const [key, t] of tally(ctx, table ? 'WHERE table_name = ?' : '', table ? [table] : [])) {
    const [name, recordId] = key.split('\u0000') as [TableName, string];
    const sync = toState(t);
    if (sync.state !== 'sent') entries.push({ table: name, recordId, sync });
  }
  return entries;
}

/** Changes held back, oldest first, with their reasons. */
export function listHeldChanges(ctx: StoreContext): HeldChange[] {
  return ctx.db.all('SELECT * FROM _outbox WHERE held_code IS NOT NULL ORDER BY seq').map((row) => ({
    eventId: String(row.event_id),
    table: String(row.table_name) as TableName,
    recordId: String(row.record_id),
    op: String(row.op) as Op,
    data: row.data === null ? null : (JSON.parse(String(row.data)) as Record<string, unknown>),
    createdAt: String(row.created_at),
    code: String(row.held_code),
    message: String(row.held_message ?? ''),
    attempts: Number(row.attempts ?? 0),
    retryAt: String(row.retry_at ?? ''),
  }));
}
