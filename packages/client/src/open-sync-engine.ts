/**
 * The composition root of the client: opens (and migrates) the local store,
 * wires the transport, the status store and the sync scheduler, and hands out
 * the `SyncEngine` the app codes against.
 */
import {
  DEFAULT_PULL_WAIT_SECONDS,
  deviceIdSchema,
  MAX_PULL_WAIT_SECONDS,
  MIN_SUPPORTED_SCHEMA_VERSION,
  SCHEMA_VERSION,
  type TableName,
} from '@clinicsync/protocol';
import { DEFAULT_BACKOFF } from './backoff.ts';
import { randomIds, systemClock, systemRandom } from './deps.ts';
import type { LoopContext } from './loop-context.ts';
import {
  discardDeadLetter,
  listConflicts,
  listDeadLetters,
  listUnsentResolutions,
  resolveConflict,
  undoResolution,
} from './store/conflict-inbox.ts';
import { listHeldChanges, recordSyncState, recordSyncStates } from './store/record-sync-state.ts';
import { resendDeadLetter } from './store/resend-dead-letter.ts';
import { discardDraft, readDraft, saveDraft } from './store/drafts.ts';
import { migrateLocalStore } from './store/local-schema.ts';
import { localCounts } from './store/outbox.ts';
import { findLikelyDuplicates } from './store/patient-search.ts';
import { getRecord, listRecords, searchPatients } from './store/read-records.ts';
import type { SqliteDatabase } from './store/sqlite-database.ts';
import type { StoreContext } from './store/store-context.ts';
import { readState, resolveDeviceId } from './store/sync-state.ts';
import { upgradeStoreSchema } from './store/upgrade-store-schema.ts';
import { deleteRecord, insertRecord, updateRecord } from './store/write-record.ts';
import type { SyncEngine, SyncEngineOptions } from './sync-engine.ts';
import { createSearchIndexCatchUp } from './search-index-catch-up.ts';
import { createSyncService } from './sync-service.ts';
import { createStatusStore, initialStatus } from './sync-status.ts';
import { createTransport } from './transport.ts';

// See SyncEngineOptions.debounceMs: one user action's writes travel together, a single write is not held back.
const DEFAULT_DEBOUNCE_MS = 25;

async function openDatabase(options: SyncEngineOptions): Promise<SqliteDatabase> {
  if (options.database) return options.database;
  // Loaded on demand so the engine itself stays free of Node-only modules (docs/architecture.md, principle 7).
  const { openBetterSqlite3 } = await import('./store/better-sqlite3-database.ts');
  return openBetterSqlite3(options.dbPath, { key: options.encryptionKey });
}

/** Opens the local store and returns the engine; background sync starts with `start()`. */
export async function openSyncEngine(options: SyncEngineOptions): Promise<SyncEngine> {
  if (options.deviceId !== undefined && !deviceIdSchema.safeParse(options.deviceId).success) {
    throw new TypeError('deviceId must be a UUID.');
  }
  const schemaVersion = options.schemaVersion ?? SCHEMA_VERSION;
  if (
    !Number.isInteger(schemaVersion) ||
    schemaVersion < MIN_SUPPORTED_SCHEMA_VERSION ||
    schemaVersion > SCHEMA_VERSION
  ) {
    throw new TypeError(`schemaVersion must be an integer from ${MIN_SUPPORTED_SCHEMA_VERSION} to ${SCHEMA_VERSION}.`);
  }
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const onError = options.onError ?? (() => {});
  const db = await openDatabase(options);
  try {
    migrateLocalStore(db, schemaVersion);
    upgradeStoreSchema(db, schemaVersion);
  } catch (error) {
    if (!options.database) await db.close();
    throw error;
  }
  const store: StoreContext = { db, clock, ids, schemaVersion };
  const deviceId = resolveDeviceId(db, options.deviceId, () => ids.newId());

  const status = createStatusStore(
    initialStatus({
      counts: localCounts(store),
      lastSyncAt: readState(db, 'last_sync_at'),
      lastPushAt: readState(db, 'last_push_at'),
      lastPullAt: readState(db, 'last_pull_at'),
    }),
    onError,
  );
  const loops: LoopContext = {
    store,
    status,
    deviceId,
    appVersion: options.appVersion?.slice(0, 50),
    pullLimit: Math.min(5000, Math.max(1, options.pullLimit ?? 1000)),
    random: options.random ?? systemRandom,
    backoff: { ...DEFAULT_BACKOFF, maxMs: options.maxBackoffMs ?? DEFAULT_BACKOFF.maxMs },
    intervalMs: options.intervalMs ?? 30_000,
    debounceMs: options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    liveWaitSeconds: Math.min(
      MAX_PULL_WAIT_SECONDS,
      Math.max(0, Math.floor(options.liveWaitSeconds ?? DEFAULT_PULL_WAIT_SECONDS)),
    ),
    onError,
    transport: createTransport({
      serverUrl: options.serverUrl,
      getSyncToken: options.getSyncToken,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeoutMs: options.requestTimeoutMs ?? 60_000,
      clock,
      onClockOffset: (offsetMs) => status.dispatch({ type: 'clock', offsetMs }),
    }),
  };
  const service = createSyncService(loops);
  // The search index is built after a pull has reported "Up to date" (a live page too) or a cycle has ended,
  // not inside them; and on open, what an earlier run (or a store migration) left.
  const searchIndex = createSearchIndexCatchUp(db, { onError });
  let seen = status.current();
  status.subscribe((current) => {
    const pulled = current.lastPullAt !== seen.lastPullAt;
    const settled = current.phase === 'idle' && seen.phase !== 'idle';
    seen = current;
    if (pulled || settled) searchIndex.schedule();
  });
  searchIndex.schedule();

  /** After anything that changes the queue or the inboxes: refresh the counts and let the scheduler know. */
  function changed<T>(result: T, wrote = true): T {
    status.dispatch({ type: 'counts', counts: localCounts(store) });
    if (wrote) service.notifyWrite();
    return result;
  }

  let closed: Promise<void> | undefined;
  return {
    deviceId,
    insert: (table: TableName, data) => changed(insertRecord(store, table, data)),
    update: (table: TableName, id, changes) => changed(updateRecord(store, table, id, changes)),
    delete: (table: TableName, id) => changed(deleteRecord(store, table, id)),
    get: (table, id) => getRecord(db, table, id),
    list: (table, filter) => listRecords(db, table, filter),
    searchPatients: (organizationId, text, limit) => searchPatients(db, organizationId, text, limit),
    findLikelyDuplicates: (organizationId, candidate, excludeId) =>
      findLikelyDuplicates(db, organizationId, candidate, excludeId),
    start: () => service.start(),
    stop: () => service.stop(),
    syncNow: () => service.syncNow(),
    notifyOnline: () => service.notifyOnline(),
    status: () => status.current(),
    subscribe: (listener) => status.subscribe(listener),
    conflicts: () => listConflicts(store),
    resolveConflict: (id, resolution) => changed(resolveConflict(store, id, resolution)),
    unsentResolutions: () => listUnsentResolutions(store),
    undoResolution: (id) => changed(undoResolution(store, id), false),
    deadLetters: () => listDeadLetters(store),
    discardDeadLetter: (id) => changed(discardDeadLetter(store, id), false),
    resendDeadLetter: (id, corrections) => changed(resendDeadLetter(store, id, corrections)),
    heldChanges: () => listHeldChanges(store),
    recordSyncState: (table, id) => recordSyncState(store, table, id),
    recordSyncStates: (table) => recordSyncStates(store, table),
    saveDraft: (key, values) => saveDraft(store, key, values),
    draft: (key) => readDraft(store, key),
    discardDraft: (key) => discardDraft(store, key),
    resetForSignIn: () => service.resume(),
    close: () =>
      (closed ??= (async () => {
        await service.stop();
        searchIndex.stop();
        await db.close();
      })()),
  };
}
