/**
 * A Kysely dialect over a Durable Object's SQLite storage (`ctx.storage.sql`),
 * so the server core's queries — the push pipeline, pull, auth, admin,
 * migrations — run unchanged inside the object (docs/architecture.md, principle 7).
 *
 * SQL `BEGIN`/`SAVEPOINT` are refused there; a transaction is the storage's
 * own `transaction(closure)`, which rolls back when the closure rejects. A
 * Kysely transaction is open-ended (begin, statements, commit or rollback),
 * so `beginTransaction` opens a storage transaction whose closure waits for
 * the commit or rollback that ends it. Every query goes through one
 * connection behind a mutex (as Kysely's own SQLite driver does), so a
 * request's transaction never interleaves with another request's statements
 * while it awaits.
 */
import {
  type CompiledQuery,
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  SqliteAdapter,
  SqliteQueryCompiler,
  sql,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TableMetadata,
} from 'kysely';
import { fitParameterLimit } from './fit-parameter-limit.ts';
import type { DurableObjectStorage, SqlValue } from './runtime-types.ts';

export class DurableObjectSqliteDialect implements Dialect {
  readonly #storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
  }

  createAdapter() {
    return new SqliteAdapter();
  }

  createDriver(): Driver {
    return new DurableObjectSqliteDriver(this.#storage);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new DurableObjectSqliteIntrospector(db);
  }
}

/**
 * Kysely's SQLite introspector with the runtime's own tables left out. The
 * storage keeps tables named `_cf_…` (alarms, key-value pairs) in the same
 * database, and any statement that names one is refused; Kysely's
 * introspector reads every table's columns, so the migrator failed on every
 * start after the first (once the storage had made such a table).
 */
class DurableObjectSqliteIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<any>;

  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  async getSchemas() {
    return [];
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const { rows: tables } = await sql<{ name: string; type: string }>`
      select name, type from sqlite_master
      where type in ('table', 'view') and name not like 'sqlite!_%' escape '!' and name not like '!_cf!_%' escape '!'
      order by name`.execute(this.#db);
    const kyselyTables = new Set([DEFAULT_MIGRATION_TABLE, DEFAULT_MIGRATION_LOCK_TABLE]);
    const result: TableMetadata[] = [];
    for (const { name, type } of tables) {
      if (!options.withInternalKyselyTables && kyselyTables.has(name)) continue;
      const { rows: columns } = await sql<{
        name: string;
        type: string;
        notnull: number;
        dflt_value: unknown;
        pk: number;
      }>`
        select name, type, "notnull", dflt_value, pk from pragma_table_info(${name}) order by cid`.execute(this.#db);
      const primaryKey = columns.filter((column) => column.pk > 0);
      result.push({
        name,
        isView: type === 'view',
        columns: columns.map((column) => ({
          name: column.name,
          dataType: column.type,
          isNullable: !column.notnull,
          // An INTEGER PRIMARY KEY is SQLite's rowid (https://www.sqlite.org/autoinc.html).
          isAutoIncrementing:
            primaryKey.length === 1 && primaryKey[0] === column && column.type.toLowerCase() === 'integer',
          hasDefaultValue: column.dflt_value != null,
        })),
      });
    }
    return result;
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

class DurableObjectSqliteDriver implements Driver {
  readonly #connection: DurableObjectSqliteConnection;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(storage: DurableObjectStorage) {
    this.#connection = new DurableObjectSqliteConnection(storage);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // A promise chain as the mutex: each acquirer waits for the one before it to release.
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((done) => (release = done));
    await previous;
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(): Promise<void> {
    await this.#connection.begin();
  }

  async commitTransaction(): Promise<void> {
    await this.#connection.end('commit');
  }

  async rollbackTransaction(): Promise<void> {
    await this.#connection.end('rollback');
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {}
}

/** The reason a storage transaction's closure rejects with to roll it back; never escapes `end`. */
const ROLLBACK = Symbol('rollback');

type OpenTransaction = { readonly settled: Promise<unknown>; finish(outcome: 'commit' | 'rollback'): void };

class DurableObjectSqliteConnection implements DatabaseConnection {
  readonly #storage: DurableObjectStorage;
  #transaction: OpenTransaction | undefined;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
  }

  async begin(): Promise<void> {
    if (this.#transaction) throw new Error('a transaction is already open on this connection');
    let finish!: (outcome: 'commit' | 'rollback') => void;
    const ended = new Promise<void>(
      (commit, rollback) => (finish = (outcome) => (outcome === 'commit' ? commit() : rollback(ROLLBACK))),
    );
    let opened!: () => void;
    const started = new Promise<void>((done) => (opened = done));
    const settled = this.#storage.transaction(async () => {
      opened();
      await ended;
    });
    // If the storage refuses to open a transaction, `started` never resolves: race it against the failure.
    await Promise.race([started, settled]);
    this.#transaction = { settled, finish };
  }

  async end(outcome: 'commit' | 'rollback'): Promise<void> {
    const open = this.#transaction;
    if (!open) throw new Error('no transaction is open on this connection');
    this.#transaction = undefined;
    open.finish(outcome);
    try {
      await open.settled;
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // One statement of the core may become several here (fit-parameter-limit.ts); they run in the caller's transaction.
    const rows: R[] = [];
    let returnsRows = false;
    let changed = 0;
    for (const statement of fitParameterLimit(compiledQuery)) {
      let cursor;
      try {
        cursor = this.#storage.sql.exec(statement.sql, ...statement.parameters.map(toSqlValue));
      } catch (error) {
        throw withSqliteCode(error);
      }
      for (const row of cursor.toArray()) rows.push(row as R);
      // A statement that names result columns (SELECT, RETURNING) answers rows, as better-sqlite3's `reader` says.
      if (cursor.columnNames.length > 0) returnsRows = true;
      // `rowsWritten` also counts index entries; SQLite's own count is what callers mean by affected rows.
      const changes = this.#storage.sql.exec('select changes() as changes').toArray()[0]?.changes;
      changed += typeof changes === 'number' ? changes : 0;
    }
    return returnsRows ? { rows } : { rows, numAffectedRows: BigInt(changed) };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(compiledQuery);
  }
}

/** The values the storage binds: booleans as 0/1 and byte arrays as ArrayBuffer, as better-sqlite3 binds them. */
function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value))
    return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer;
  throw new TypeError(`cannot bind a value of type ${typeof value}`);
}

/**
 * The storage reports SQLite failures as messages ("UNIQUE constraint failed:
 * …: SQLITE_CONSTRAINT"); the core decides on codes (`Capabilities`), so
 * the driver boundary gives the error the code better-sqlite3 would have.
 */
function withSqliteCode(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const message = error.message;
  const code = /UNIQUE constraint failed/.test(message)
    ? 'SQLITE_CONSTRAINT_UNIQUE'
    : /PRIMARY KEY/.test(message) && /constraint failed/i.test(message)
      ? 'SQLITE_CONSTRAINT_PRIMARYKEY'
      : /constraint failed/i.test(message)
        ? 'SQLITE_CONSTRAINT'
        : /SQLITE_BUSY|database is locked/.test(message)
          ? 'SQLITE_BUSY'
          : undefined;
  return code ? Object.assign(new Error(message, { cause: error }), { code }) : error;
}
