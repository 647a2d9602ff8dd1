/**
 * `describeEachDialect` runs a suite on SQLite and, when a PostgreSQL server is
 * configured (`CLINICSYNC_TEST_PG_URL`, set by `.ci/run` or `npm run pg`), on
 * PostgreSQL too, each suite in a database of its own. Without PostgreSQL the
 * PostgreSQL variant is skipped with the reason printed, never faked.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';

export const PG_URL = process.env.CLINICSYNC_TEST_PG_URL;
let warned = false;

export function requirePostgres(): string | undefined {
  // The edge runtime has no PostgreSQL: its suites run on Durable Object storage only (server-process.ts).
  if (process.env.CLINICSYNC_TEST_RUNTIME === 'edge') return undefined;
  if (!PG_URL && !warned) {
    warned = true;
    console.warn(
      '[skip] PostgreSQL tests skipped: CLINICSYNC_TEST_PG_URL is not set (run `npm run pg` and export the URL it prints).',
    );
  }
  return PG_URL;
}

/** Creates an empty database on the test server and returns its URL. */
export async function freshPostgresDatabase(): Promise<string> {
  const base = requirePostgres();
  if (!base) throw new Error('PostgreSQL is not configured');
  const name = `cs_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export type DialectCase = { readonly name: 'sqlite' | 'postgres'; databaseUrl(): Promise<string> };

const SQLITE: DialectCase = { name: 'sqlite', databaseUrl: async () => ':memory:' };
const POSTGRES: DialectCase = { name: 'postgres', databaseUrl: freshPostgresDatabase };

export function describeEachDialect(title: string, suite: (dialect: DialectCase) => void): void {
  describe(`${title} [sqlite]`, () => suite(SQLITE));
  if (requirePostgres()) describe(`${title} [postgres]`, () => suite(POSTGRES));
  else describe.skip(`${title} [postgres] (PostgreSQL not configured)`, () => suite(POSTGRES));
}
