/**
 * What really differs between the two databases, as one object per dialect.
 * Feature code branches on a capability, never on the dialect's name.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { postgresBulkInsert, sqliteBulkInsert, type BulkInsert } from './bulk-insert.ts';

export type Dialect = 'sqlite' | 'postgres';

export type Capabilities = {
  readonly dialect: Dialect;
  /** Column type for a JSON document. */
  readonly jsonType: 'text' | 'jsonb';
  /** Column type for 64-bit counters. */
  readonly bigintType: 'integer' | 'bigint';
  /** Column type for floating point numbers. */
  readonly floatType: 'real' | 'double precision';
  /** Whether `SELECT … FOR UPDATE` exists (SQLite serializes writers instead). */
  readonly rowLocks: boolean;
  /** Whether several processes may write concurrently (decides retry on serialization failures). */
  readonly concurrentWriters: boolean;
  /** Is this driver error a transient concurrency failure worth retrying the transaction for? */
  isRetryable(error: unknown): boolean;
  /** Is this driver error a unique-constraint violation? */
  isUniqueViolation(error: unknown): boolean;
  /** Ping the database (health checks). */
  ping(db: Kysely<any>): Promise<void>;
  /** Multi-row INSERTs as this database takes them best (bulk-insert.ts). */
  readonly bulkInsert: BulkInsert;
  /**
   * `column` (text) equals one of `values`: an IN list on SQLite, one array
   * parameter on PostgreSQL (`= any($1)`), which parses and plans a push's
   * 500-id lookups as one short statement.
   */
  textIn(column: string, values: readonly string[]): Expression<SqlBool>;
};

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

export const sqliteCapabilities: Capabilities = {
  dialect: 'sqlite',
  jsonType: 'text',
  bigintType: 'integer',
  floatType: 'real',
  rowLocks: false,
  concurrentWriters: false,
  isRetryable: (error) => errorCode(error) === 'SQLITE_BUSY',
  isUniqueViolation: (error) =>
    (errorCode(error) ?? '').startsWith('SQLITE_CONSTRAINT_UNIQUE') ||
    errorCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  ping: async (db) => {
    await sql`select 1`.execute(db);
  },
  bulkInsert: sqliteBulkInsert,
  textIn: (column, values) => sql<SqlBool>`${sql.ref(column)} in (${sql.join([...values])})`,
};

export const postgresCapabilities: Capabilities = {
  dialect: 'postgres',
  // JSON is stored as text on both dialects so one code path reads and writes it.
  jsonType: 'text',
  bigintType: 'bigint',
  floatType: 'double precision',
  rowLocks: true,
  concurrentWriters: true,
  // 40001 serialization_failure, 40P01 deadlock_detected.
  isRetryable: (error) => errorCode(error) === '40001' || errorCode(error) === '40P01',
  isUniqueViolation: (error) => errorCode(error) === '23505',
  ping: async (db) => {
    await sql`select 1`.execute(db);
  },
  bulkInsert: postgresBulkInsert,
  textIn: (column, values) => sql<SqlBool>`${sql.ref(column)} = any(${[...values]}::text[])`,
};
