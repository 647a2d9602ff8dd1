/**
 * The public surface of the sync engine: what the desktop app codes against.
 * Extend only additively.
 */
import type { TableName } from '@clinicsync/protocol';
import type { Conflict, ConflictResolution, DeadLetter, UnsentResolution } from './store/conflict-inbox.ts';
import type { Draft } from './store/drafts.ts';
import type { HeldChange, RecordSyncEntry, RecordSyncState } from './store/record-sync-state.ts';
import type { Row } from './store/local-columns.ts';
import type { DuplicateCandidate, LikelyDuplicate } from './store/patient-search.ts';
import type { ListFilter } from './store/read-records.ts';
import type { SqliteDatabase } from './store/sqlite-database.ts';
import type { SyncStatus } from './sync-status.ts';

export type SyncEngineOptions = {
  /** Local SQLite file (':memory:' allowed in tests). */
  readonly dbPath: string;
  /** Base URL of the sync server, e.g. `https://sync.example.org`. */
  readonly serverUrl: string;
  /** The device's sync token (kept in the OS keyring by the desktop); null = not signed in. */
  readonly getSyncToken: () => Promise<string | null> | string | null;
  /** Else the one stored in `_sync_state`, else a new one (stored). */
  readonly deviceId?: string;
  readonly appVersion?: string;
  readonly fetch?: typeof fetch;
  readonly clock?: { now(): Date };
  readonly random?: () => number;
  /** Timer between syncs, also the heartbeat (default 30 000 ms). */
  readonly intervalMs?: number;
  /**
   * Quiet time after a local write before pushing it (default 25 ms): long enough to send the writes of one
   * action (a patient and their appointment) together, short enough that a single write goes out at once.
   * Writes made while a push runs go out together right after it, so bursts stay batched.
   */
  readonly debounceMs?: number;
  /**
   * Live sync (PROTOCOL §4 "Live"): between syncs the engine keeps a waiting pull open for this many seconds
   * at a time and applies a colleague's change as soon as the server has it (default 25, at most 55; 0 turns
   * it off and leaves only the interval timer).
   */
  readonly liveWaitSeconds?: number;
  readonly ids?: { newId(): string };
  /** Per-request timeout (default 60 000 ms). */
  readonly requestTimeoutMs?: number;
  /** Longest wait between retries after failures (default 60 000 ms). */
  readonly maxBackoffMs?: number;
  /** Rows asked for per pull page (default 1000, at most 5000). */
  readonly pullLimit?: number;
  /**
   * 32 random bytes: the store file is encrypted at rest with them (PROTOCOL §9); an
   * unencrypted store at `dbPath` is encrypted in place first. Without it the file is plain.
   */
  readonly encryptionKey?: Uint8Array;
  /** Another `SqliteDatabase` implementation (e.g. SQLite WASM); `dbPath` is then ignored. */
  readonly database?: SqliteDatabase;
  /**
   * The schema version this client speaks (default: this build's SCHEMA_VERSION). Only tests set it, to run
   * an older client: its store has that version's columns, it validates and syncs as that version.
   */
  readonly schemaVersion?: number;
  /** Called with errors the engine cannot attribute to a request (a throwing listener, a bug). */
  readonly onError?: (error: unknown) => void;
};

export type Resolution = ConflictResolution;

export interface SyncEngine {
  readonly deviceId: string;
  /** Writes the row and its outbox event in one transaction; returns the row incl. id. Throws LocalValidationError. */
  insert(table: TableName, data: Record<string, unknown>): Row;
  /** Changes the given fields (only the ones that differ are sent). Throws LocalValidationError / NotFoundError. */
  update(table: TableName, id: string, changes: Record<string, unknown>): Row;
  /** Deletes (tombstones) the row. Throws NotFoundError. */
  delete(table: TableName, id: string): void;
  /** The row, or undefined when missing or deleted. */
  get(table: TableName, id: string): Row | undefined;
  list(table: TableName, filter?: ListFilter): Row[];
  /**
   * Patients of the organization matching `text` (docs/patient-search.md): by clinic number; by any word or part
   * of a word after a separator (space, hyphen, apostrophe) of a name, from its start, without case or accents
   * ("Nkemelu" finds "O'Brien-Nkemelu"); by phone digits however grouped, with or without country code or
   * leading 0 ("+251 911 234 567", "0911234567", "911 234 567"). Every word of `text` must match. Sorted by
   * family then given name, at most `limit` (default 50).
   */
  searchPatients(organizationId: string, text: string, limit?: number): Row[];
  /**
   * Patients of the organization who are likely the same person as `candidate` (same given and family names and
   * birth date, or the same phone however written), for a warning before saving; `excludeId` leaves out the
   * patient being edited.
   */
  findLikelyDuplicates(organizationId: string, candidate: DuplicateCandidate, excludeId?: string): LikelyDuplicate[];
  /** Starts background sync: debounced after writes, live (a waiting pull) between syncs, on a timer, and on `notifyOnline()`. */
  start(): void;
  /** Stops background sync; waits for a running request to end. Local writes keep working. */
  stop(): Promise<void>;
  /** Runs one push-and-pull now (after any running one); the outcome shows in `status()`. */
  syncNow(): Promise<void>;
  /** The network is back: retry now instead of waiting out the backoff. */
  notifyOnline(): void;
  status(): SyncStatus;
  subscribe(listener: (status: SyncStatus) => void): () => void;
  /** Open conflicts, oldest first; each names its `conflictingFields` before anyone chooses. */
  conflicts(): Conflict[];
  /**
   * Resolves an open conflict (docs/conflict-resolution.md): keep mine / take theirs decide the
   * conflicting fields only, a merge sets the given values; every other change of both sides
   * survives. What it sends is queued based on the conflict's `serverVersion`, and the store shows
   * the outcome at once. Throws NotFoundError / LocalValidationError; the conflict then stays open.
   */
  resolveConflict(id: string, resolution: Resolution): void;
  /** Resolutions the server has not answered yet; those with `canUndo` (no push carried them) can still be undone. */
  unsentResolutions(): UnsentResolution[];
  /** Takes back an unsent resolution; the conflict is open again. Throws NotFoundError / ResolutionSentError. */
  undoResolution(conflictId: string): void;
  deadLetters(): DeadLetter[];
  discardDeadLetter(id: string): void;
  /**
   * "Edit and send again": queues the refused change again, with `corrections` applied, as a new
   * edit of the record as it is now; the dead letter goes. Throws NotFoundError / LocalValidationError
   * (the dead letter then stays).
   */
  resendDeadLetter(id: string, corrections?: Record<string, unknown>): void;
  /** Changes held back because the server failed on each of them alone; they stay queued and are retried. */
  heldChanges(): HeldChange[];
  /** The sync state of one record: sent, not sent (maybe held), refused, or in conflict. */
  recordSyncState(table: TableName, id: string): RecordSyncState;
  /** Every record (optionally of one table) whose state is not `sent`. */
  recordSyncStates(table?: TableName): RecordSyncEntry[];
  /** Keeps a half-filled form's values under `key` (never synced). Throws LocalValidationError. */
  saveDraft(key: string, values: Record<string, unknown>): Draft;
  /** The draft under `key`, or undefined. */
  draft(key: string): Draft | undefined;
  /** Forgets the draft under `key` (after a save or an explicit cancel). */
  discardDraft(key: string): void;
  /** After a 401: the app stored a new sync token; resume syncing. */
  resetForSignIn(): void;
  /** Stops syncing and closes the local store. */
  close(): Promise<void>;
}
