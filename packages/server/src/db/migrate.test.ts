import { columnsAtVersion, TABLES, TABLE_NAMES, SCHEMA_VERSION } from '@clinicsync/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/support/dialects.ts';
import { connectDatabase, type Database } from './connect.ts';
import { migrate } from './migrate.ts';

describeEachDialect('migrations', (dialect) => {
  let database: Database;
  beforeAll(async () => {
    database = connectDatabase({ url: await dialect.databaseUrl() });
    await migrate(database.db, database.caps);
  });
  afterAll(() => database.close());

  // Migrations are frozen and never read the registry: a registry column without its migration fails here.
  it('create exactly the registry columns of every synced table', async () => {
    const tables = await database.db.introspection.getTables();
    for (const name of TABLE_NAMES) {
      const table = tables.find((t) => t.name === name);
      expect(table, name).toBeDefined();
      const actual = table!.columns.map((c) => c.name).sort();
      const expected = [
        'id',
        'version',
        'updated_at',
        'updated_by',
        'deleted',
        'field_versions',
        ...columnsAtVersion(name, SCHEMA_VERSION).map(([c]) => c),
      ].sort();
      expect(actual, name).toEqual(expected);
      expect(Object.keys(TABLES[name].columns).length).toBeGreaterThan(0);
    }
  });

  it('are idempotent: a second run changes nothing', async () => {
    await expect(migrate(database.db, database.caps)).resolves.toBeUndefined();
  });
});
