/** The public surface of @clinicsync/client: the offline-first sync engine. */
export { openSyncEngine } from './open-sync-engine.ts';
export type { SyncEngine, SyncEngineOptions, Resolution } from './sync-engine.ts';
export type { Row } from './store/local-columns.ts';
export type { Conflict, ConflictResolution, DeadLetter, UnsentResolution } from './store/conflict-inbox.ts';
export type { Draft } from './store/drafts.ts';
export {
  RECORD_SYNC_STATES,
  type HeldChange,
  type RecordSyncEntry,
  type RecordSyncState,
  type RecordSyncStateName,
} from './store/record-sync-state.ts';
export type { ListFilter } from './store/read-records.ts';
export type { DuplicateCandidate, LikelyDuplicate } from './store/patient-search.ts';
export { patientSearchTerms, queryLookups, phoneDigits, foldText } from './store/search-terms.ts';
export type { SqliteDatabase, SqliteStatement, SqlRow, SqlValue, TransactionOptions } from './store/sqlite-database.ts';
export {
  SYNC_PHASES,
  nextStatus,
  type SyncError,
  type SyncPhase,
  type SyncStatus,
  type FailureAction,
} from './sync-status.ts';
export { LocalValidationError, NotFoundError, ResolutionSentError, StoreKeyError } from './errors.ts';
export { StoreTooNewError } from './store/upgrade-store-schema.ts';
export { StoreFormatTooNewError } from './store/local-schema.ts';
export { nextDelay, type BackoffPolicy } from './backoff.ts';
export {
  createServerClient,
  type ServerCall,
  type ServerClient,
  type TransportFailure,
  type TransportResult,
} from './server-client.ts';
export { classifyFailure } from './classify-failure.ts';
export { fakeClock, sequentialIds, type Clock, type Ids } from './deps.ts';
