/**
 * Frozen migrations: after each migration, the database's schema equals the
 * golden dump checked in next to it (`golden/<migration>.<dialect>.sql`), on
 * SQLite and PostgreSQL. A migration edited after release, or a registry
 * edit that leaks into a migration, changes a dump and fails here.
 *
 * A new migration's dumps are written once with
 * `CLINICSYNC_WRITE_GOLDEN=1 npx vitest run packages/server/src/db/migrations/golden.test.ts`
 * (with CLINICSYNC_TEST_PG_URL set, so both dialects are written), then read
 * and committed; existing dumps are never rewritten.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/dialects.ts';
import { connectDatabase, type Database } from '../connect.ts';
import { migrate, MIGRATIONS } from '../migrate.ts';
import { dumpSchema } from '../schema-dump.ts';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
const MIGRATIONS_DIR = fileURLToPath(new URL('./', import.meta.url));
const WRITE = process.env.CLINICSYNC_WRITE_GOLDEN === '1';

describeEachDialect('frozen migrations', (dialect) => {
  let database: Database;
  beforeAll(async () => {
    database = connectDatabase({ url: await dialect.databaseUrl() });
  });
  afterAll(() => database.close());

  // Sequential on one database: each step starts from the previous one's result, as a real upgrade does.
  for (const name of Object.keys(MIGRATIONS).sort()) {
    it(`${name} leaves the schema of golden/${name}.${dialect.name}.sql`, async () => {
      await migrate(database.db, database.caps, name);
      const actual = await dumpSchema(database.db, database.caps);
      const file = `${GOLDEN}${name}.${dialect.name}.sql`;
      if (WRITE && !existsSync(file)) writeFileSync(file, actual);
      expect(existsSync(file), `missing golden dump ${file}`).toBe(true);
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }
});

it('no migration reads the table registry, so a registry edit cannot change what it builds', () => {
  const sources = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
  expect(sources.length).toBe(Object.keys(MIGRATIONS).length);
  for (const file of sources) {
    const text = readFileSync(`${MIGRATIONS_DIR}${file}`, 'utf8');
    expect(text, file).not.toMatch(/from '@clinicsync\/protocol'|from '\.\.\/\.\.\/\.\.\/\.\.\/protocol/);
    expect(text, file).not.toMatch(/from '\.\.\/(?!capabilities\.ts')/);
  }
});
