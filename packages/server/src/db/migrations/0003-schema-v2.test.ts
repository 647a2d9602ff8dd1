import { columnsAtVersion } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/dialects.ts';
import { connectDatabase, type Database } from '../connect.ts';
import { migrate } from '../migrate.ts';

const APPOINTMENT = {
  id: '3f0c2a9e-5b1d-4c7e-8a6f-1e2d3c4b5a69',
  version: 1,
  updated_at: '2026-01-01T00:00:00.000Z',
  updated_by: 'u1',
  deleted: 0,
  field_versions: '{}',
  team_id: '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e',
  patient_id: '0b8a4c6e-1d2f-4a3b-8c5d-6e7f8a9b0c1d',
  starts_at: '2026-03-01T09:00:00.000Z',
  duration_min: 20,
  status: 'booked',
  reason: 'Cough',
};

/** Runs the migrations before `0003-schema-v2` only: a server database as schema version 1 left it. */
async function migrateToSchemaV1(database: Database): Promise<void> {
  await migrate(database.db, database.caps, '0002-auth');
}

async function appointmentColumns(database: Database): Promise<string[]> {
  const tables = await database.db.introspection.getTables();
  return tables.find((t) => t.name === 'appointments')!.columns.map((c) => c.name);
}

describeEachDialect('migration 0003-schema-v2', (dialect) => {
  let database: Database;
  beforeAll(async () => {
    database = connectDatabase({ url: await dialect.databaseUrl() });
    await migrateToSchemaV1(database);
  });
  afterAll(() => database.close());

  it('upgrades a version 1 database in place: rows are kept and get no kind', async () => {
    expect(await appointmentColumns(database)).not.toContain('kind');
    await database.db
      .insertInto('appointments')
      .values(APPOINTMENT as never)
      .execute();

    await migrate(database.db, database.caps);

    expect(await appointmentColumns(database)).toContain('kind');
    const row = await database.db
      .selectFrom('appointments')
      .selectAll()
      .where('id', '=', APPOINTMENT.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ ...APPOINTMENT, kind: null });
  });

  it('adds exactly the registry columns of version 2', async () => {
    const expected = columnsAtVersion('appointments', 2).map(([name]) => name);
    expect(
      (await appointmentColumns(database))
        .filter((c) => !['id', 'version', 'updated_at', 'updated_by', 'deleted', 'field_versions'].includes(c))
        .sort(),
    ).toEqual([...expected].sort());
  });

  it('stores and reads back a kind', async () => {
    await database.db
      .updateTable('appointments')
      .set({ kind: 'vaccination' })
      .where('id', '=', APPOINTMENT.id)
      .execute();
    const row = await database.db
      .selectFrom('appointments')
      .select('kind')
      .where('id', '=', APPOINTMENT.id)
      .executeTakeFirstOrThrow();
    expect(row.kind).toBe('vaccination');
  });
});
