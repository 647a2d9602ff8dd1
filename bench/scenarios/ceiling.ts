/**
 * The ceiling: raw better-sqlite3 inserts of the same patient rows in
 * 500-row transactions, into a table with the same columns and random UUID
 * primary keys, with the server's pragmas (WAL, synchronous NORMAL). No
 * validation, authorization, change log or audit: nothing can be faster.
 */
import SQLite from 'better-sqlite3';
import { join } from 'node:path';
import { perSecond, timed } from '../lib/measure.ts';
import { chunk, type PatientRow } from '../lib/rows.ts';
import { benchTempDir } from '../lib/temp.ts';

export async function rawSqliteInsertRate(rows: readonly PatientRow[]): Promise<number> {
  const db = new SQLite(join(benchTempDir('raw'), 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table patients (id text primary key, version integer, updated_at text, updated_by text, deleted integer,
    organization_id text, given_name text, family_name text, birth_date text, sex text, phone text, address text, notes text)`);
  db.exec('create index patients_org on patients (organization_id)');
  const insert = db.prepare(
    `insert into patients values (@id, 1, @at, @by, 0, @organization_id, @given_name, @family_name, @birth_date, @sex, @phone, @address, @notes)`,
  );
  const batch = db.transaction((items: readonly PatientRow[]) => {
    const at = new Date().toISOString();
    for (const row of items) insert.run({ ...row, at, by: row.organization_id });
  });
  const { ms } = await timed(() => {
    for (const items of chunk(rows, 500)) batch(items);
  });
  db.close();
  return perSecond(rows.length, ms);
}

/** The raw pull's target: a WAL file with the patients' columns, and its prepared insert of one parsed row. */
export function openRawPullTarget(dir: string): { target: SQLite.Database; insert: SQLite.Statement } {
  const target = new SQLite(join(dir, 'target.sqlite'));
  target.pragma('journal_mode = WAL');
  target.exec(`create table patients (id text primary key, version integer, organization_id text, given_name text, family_name text,
    birth_date text, sex text, phone text, address text, notes text)`);
  const insert = target.prepare(
    'insert into patients values (@id, 1, @organization_id, @given_name, @family_name, @birth_date, @sex, @phone, @address, @notes)',
  );
  return { target, insert };
}

/** Raw read of `count` rows from one SQLite file and insert into another: the ceiling of an initial pull. */
export async function rawReadInsertRate(rows: readonly PatientRow[]): Promise<number> {
  const dir = benchTempDir('rawpull');
  const source = new SQLite(join(dir, 'source.sqlite'));
  source.exec('create table patients (id text primary key, data text)');
  const fill = source.transaction(() => {
    const insert = source.prepare('insert into patients values (?, ?)');
    for (const row of rows) insert.run(row.id, JSON.stringify(row));
  });
  fill();
  const { target, insert } = openRawPullTarget(dir);
  const { ms } = await timed(() => {
    let after = '';
    for (;;) {
      const page = source.prepare('select id, data from patients where id > ? order by id limit 5000').all(after) as {
        id: string;
        data: string;
      }[];
      if (page.length === 0) break;
      target.transaction(() => {
        for (const r of page) insert.run(JSON.parse(r.data));
      })();
      after = page[page.length - 1]!.id;
    }
  });
  source.close();
  target.close();
  return perSecond(rows.length, ms);
}
