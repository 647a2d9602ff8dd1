/**
 * Fills a stopped server's SQLite file with patients, bypassing HTTP, for the
 * scale scenarios (a million rows through the push endpoint would take most
 * of the run). It writes exactly what the push path leaves behind for a
 * patient INSERT: the row, its change-log row (with the same `data` JSON),
 * its audit row, its remembered outcome with the real fingerprint, and the
 * organization's advanced `org_seq`. Only this connection skips fsync
 * (`synchronous = OFF`): the server's own settings are untouched.
 */
import SQLite from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { tableSpec } from '@clinicsync/protocol';
import { canonicalJson } from '../../packages/server/src/sync/push/fingerprint-event.ts';
import { patientRows } from './rows.ts';

export type SeedTarget = {
  /** The server's SQLite file (the server must not be running). */
  readonly path: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly deviceId: string;
};

/** Appends `count` patients to the organization; returns the organization's last seq afterwards. */
export function seedPatients(target: SeedTarget, count: number): number {
  const db = new SQLite(target.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const columns = Object.keys(tableSpec('patients').columns);
  const insert = (table: string, names: readonly string[]) =>
    db.prepare(`insert into ${table} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`);
  const patient = insert('patients', [
    'id',
    'version',
    'updated_at',
    'updated_by',
    'deleted',
    'field_versions',
    ...columns,
  ]);
  const change = insert('change_log', ['organization_id', 'seq', 'table_name', 'record_id', 'version', 'op']);
  const audit = insert('audit_log', [
    'organization_id',
    'seq',
    'at',
    'user_id',
    'device_id',
    'event_id',
    'table_name',
    'record_id',
    'op',
    'version',
    'before',
    'after',
  ]);
  const outcome = insert('applied_events', [
    'event_id',
    'user_id',
    'device_id',
    'organization_id',
    'fingerprint',
    'outcome',
    'created_at',
  ]);
  const { organizationId, userId, deviceId } = target;
  const lastSeq = () =>
    Number(
      (
        db.prepare('select last_seq from org_seq where organization_id = ?').get(organizationId) as
          | { last_seq: number }
          | undefined
      )?.last_seq ?? 0,
    );

  const chunk = db.transaction((size: number) => {
    let seq = lastSeq();
    const now = new Date().toISOString();
    for (const row of patientRows(organizationId, size)) {
      const { id, ...given } = row;
      const values = Object.fromEntries(
        columns.map((column) => [column, (given as Record<string, unknown>)[column] ?? null]),
      );
      seq += 1;
      const eventId = randomUUID();
      patient.run(id, 1, now, userId, 0, '{}', ...columns.map((column) => values[column]));
      change.run(organizationId, seq, 'patients', id, 1, 'UPSERT');
      audit.run(
        organizationId,
        seq,
        now,
        userId,
        deviceId,
        eventId,
        'patients',
        id,
        'INSERT',
        1,
        null,
        JSON.stringify(values),
      );
      // The push path's fingerprint: SHA-256 of the canonical JSON of the event's content.
      const fingerprint = createHash('sha256')
        .update(canonicalJson({ table: 'patients', op: 'INSERT', recordId: id, baseVersion: 0, data: given }))
        .digest('hex');
      outcome.run(
        eventId,
        userId,
        deviceId,
        organizationId,
        fingerprint,
        JSON.stringify({ status: 'applied', version: 1 }),
        now,
      );
    }
    db.prepare('update org_seq set last_seq = ? where organization_id = ?').run(seq, organizationId);
  });
  for (let done = 0; done < count; done += 50_000) chunk(Math.min(50_000, count - done));
  const last = lastSeq();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return last;
}
