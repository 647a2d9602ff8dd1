/**
 * Runs the server migrations in order, once each, on SQLite or PostgreSQL.
 * Migrations are `{ up(db, caps) }` modules listed here; Kysely's migrator
 * records them and takes a lock so two instances starting together on one
 * PostgreSQL database do not race. Each migration writes out the schema it
 * creates and never reads the table registry, so it builds the same tables
 * for as long as it exists; `migrations/golden/` holds what each one leaves
 * (docs/schema-migrations.md).
 */
import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Capabilities } from './capabilities.ts';
import * as core from './migrations/0001-core.ts';
import * as auth from './migrations/0002-auth.ts';
import * as schemaV2 from './migrations/0003-schema-v2.ts';
import * as housekeeping from './migrations/0004-housekeeping-indexes.ts';
import * as sharedSecret from './migrations/0005-shared-secret.ts';
import * as consentAndLimits from './migrations/0006-consent-and-limits.ts';
import * as schemaV3 from './migrations/0007-schema-v3.ts';
import * as slimWriteSet from './migrations/0008-slim-write-set.ts';

type MigrationModule = { up(db: Kysely<any>, caps: Capabilities): Promise<void> };

/** Every migration, by name; names sort in the order they run. */
export const MIGRATIONS: Readonly<Record<string, MigrationModule>> = {
  '0001-core': core,
  '0002-auth': auth,
  '0003-schema-v2': schemaV2,
  '0004-housekeeping-indexes': housekeeping,
  '0005-shared-secret': sharedSecret,
  '0006-consent-and-limits': consentAndLimits,
  '0007-schema-v3': schemaV3,
  '0008-slim-write-set': slimWriteSet,
};

/**
 * Runs every pending migration, or only those up to and including `through`
 * (tests build a database as an older release left it).
 */
export async function migrate(db: Kysely<any>, caps: Capabilities, through?: string): Promise<void> {
  if (through !== undefined && !(through in MIGRATIONS)) throw new Error(`unknown migration ${through}`);
  const migrations: Record<string, Migration> = Object.fromEntries(
    Object.entries(MIGRATIONS)
      .filter(([name]) => through === undefined || name <= through)
      .map(([name, m]) => [name, { up: (trxDb: Kysely<any>) => m.up(trxDb, caps) }]),
  );
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    // No migration ran: the database itself could not be reached (refused, unknown host, wrong password).
    // The driver's message names the host or the user, never the password.
    if (failed === undefined)
      throw new Error(`could not reach the database: ${(error as Error).message}`, { cause: error });
    throw new Error(`migration ${failed} failed`, { cause: error });
  }
}
