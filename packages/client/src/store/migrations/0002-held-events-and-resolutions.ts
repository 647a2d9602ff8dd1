/**
 * What "nothing typed is ever lost" needs in the store (docs/conflict-resolution.md).
 * Frozen: written out once.
 *
 * - `_outbox.sent_at`: when a push first carried the event; from then on the
 *   server may have it, so a resolution it carries can no longer be undone.
 * - `_outbox.attempts`, `held_code`, `held_message`, `retry_at`: an event
 *   held back because the server failed on it alone (push-loop.ts); it stays
 *   queued and is retried alone at `retry_at`.
 * - `_conflicts.outbox_seq`: where the refused event stood in the outbox, so
 *   a resolution is queued there, before later edits of the same record.
 * - `_conflicts.conflicting`: the fields both sides hold different values in.
 * - `_conflicts.resolution`, `resolved_event_id`, `resolved_at`: a resolution
 *   chosen and not sent yet, and the event carrying it (null: nothing to send).
 * - `_dead_letters.record`: the record as this device had it when its change
 *   was refused, so the dead letter can name the patient.
 * - `_resync_orgs`: the organizations a full resync sent anything of; the
 *   others are ones the user has left.
 */
import type { SqliteDatabase } from '../sqlite-database.ts';

export function up(db: SqliteDatabase): void {
  db.exec(`
    ALTER TABLE _outbox ADD COLUMN sent_at TEXT;
    ALTER TABLE _outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE _outbox ADD COLUMN held_code TEXT;
    ALTER TABLE _outbox ADD COLUMN held_message TEXT;
    ALTER TABLE _outbox ADD COLUMN retry_at TEXT;
    ALTER TABLE _conflicts ADD COLUMN outbox_seq INTEGER;
    ALTER TABLE _conflicts ADD COLUMN conflicting TEXT;
    ALTER TABLE _conflicts ADD COLUMN resolution TEXT;
    ALTER TABLE _conflicts ADD COLUMN resolved_event_id TEXT;
    ALTER TABLE _conflicts ADD COLUMN resolved_at TEXT;
    ALTER TABLE _dead_letters ADD COLUMN record TEXT;
    CREATE TABLE _resync_orgs (organization_id TEXT PRIMARY KEY);
  `);
}
