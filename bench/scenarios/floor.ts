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

  const organizationId = rows[0]?.organization_id ?? randomUUID();
  const userId = randomUUID();
  const deviceId = randomUUID();
  const now = new Date().toISOString();
  // Everything the statements bind is computed before the clock starts.
  const prepared = rows.map((row, index) => {
    const { id, ...values } = row;
    const json = JSON.stringify(values);
    const seq = index + 1;
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
  });
  const batch = db.transaction((items: typeof prepared) => {
    for (const item of items) {
      patient.run(item.patient);
      change.run(item.change);
      audit.run(item.audit);
      outcome.run(item.outcome);
    }
  });
  const { ms } = await timed(() => {
    for (const items of chunk(prepared, 500)) batch(items);
  });
  db.close();
  return perSecond(rows.length, ms);
}
