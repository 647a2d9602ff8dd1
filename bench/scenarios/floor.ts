/**
 * The floor of ClinicSync's own write set: raw better-sqlite3 inserts of
 * exactly the rows one applied push event leaves behind — the record, its
 * change-log row, its audit row and its remembered outcome — into the
 * server's real schema (its migrations, its pragmas), 500 events per
 * transaction, with reused prepared statements. No HTTP, validation, scope,
 * hashing or JSON parsing: the push endpoint cannot beat this, so
 * push ÷ floor is the pipeline's efficiency and floor ÷ ceiling the price of
 * the data model (four tables per event instead of one; the change log names the
 * record without copying it).
 */
import SQLite from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { connectDatabase } from '../../packages/server/src/db/connect.ts';
import { migrate } from '../../packages/server/src/db/migrate.ts';
import { perSecond, timed } from '../lib/measure.ts';
import { chunk, type PatientRow } from '../lib/rows.ts';
import { benchTempDir } from '../lib/temp.ts';

const PATIENT = [
  'id',
  'version',
  'updated_at',
  'updated_by',
  'deleted',
  'field_versions',
  'organization_id',
  'given_name',
  'family_name',
  'birth_date',
  'sex',
  'phone',
  'address',
  'notes',
];
const CHANGE = ['organization_id', 'seq', 'table_name', 'record_id', 'version', 'op'];
const AUDIT = [
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
];
const OUTCOME = ['event_id', 'user_id', 'device_id', 'organization_id', 'fingerprint', 'outcome', 'created_at'];

/** Events per second of the raw write set; `rows` all belong to one organization. */
export async function rawWriteSetRate(rows: readonly PatientRow[]): Promise<number> {
  const floor = await openWriteSetFloor();
  // Everything the statements bind is computed before the clock starts.
  const batches = chunk(rows, 500).map((batch) => floor.prepare(batch));
  const { ms } = await timed(() => {
    for (const items of batches) floor.write(items);
  });
  floor.close();
  return perSecond(rows.length, ms);
}

type FloorItem = { patient: unknown[]; change: unknown[]; audit: unknown[]; outcome: unknown[] };

/**
 * The floor's database, written batch by batch: `prepare` computes what a batch binds, `write` inserts it in
 * one transaction. For measurements that interleave the floor with other work (profile/profile-push-pair.ts).
 */
export async function openWriteSetFloor(): Promise<{
  prepare(rows: readonly PatientRow[]): FloorItem[];
  write(items: readonly FloorItem[]): void;
  close(): void;
}> {
  const path = join(benchTempDir('floor'), 'server.sqlite');
  const migrated = connectDatabase({ url: path });
  await migrate(migrated.db, migrated.caps);
  await migrated.close();
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = (table: string, columns: string[]) =>
    db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  const patient = insert('patients', PATIENT);
  const change = insert('change_log', CHANGE);
  const audit = insert('audit_log', AUDIT);
  const outcome = insert('applied_events', OUTCOME);

  const userId = randomUUID();
  const deviceId = randomUUID();
  const now = new Date().toISOString();
  let seq = 0;
  const batch = db.transaction((items: readonly FloorItem[]) => {
    for (const item of items) {
      patient.run(item.patient);
      change.run(item.change);
      audit.run(item.audit);
      outcome.run(item.outcome);
    }
  });
  return {
    prepare: (rows) =>
      rows.map((row) => {
        const { id, ...values } = row;
        const organizationId = row.organization_id;
        const json = JSON.stringify(values);
        seq += 1;
        return {
          patient: [id, 1, now, userId, 0, '{}', ...Object.values(values)],
          change: [organizationId, seq, 'patients', id, 1, 'UPSERT'],
          audit: [organizationId, seq, now, userId, deviceId, randomUUID(), 'patients', id, 'INSERT', 1, null, json],
          outcome: [
            randomUUID(),
            userId,
            deviceId,
            organizationId,
            createHash('sha256').update(json).digest('hex'),
            '{"status":"applied","version":1}',
            now,
          ],
        };
      }),
    write: (items) => batch(items),
    close: () => db.close(),
  };
}
