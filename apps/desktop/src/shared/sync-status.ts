/**
 * The sync engine's status snapshot as the page receives it. Type-only, so
 * the browser bundle never loads the Node-side engine.
 */
export type { SyncPhase, SyncStatus as SyncStatusView } from '@clinicsync/client';
