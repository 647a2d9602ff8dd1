/**
 * The small SQLite interface the sync engine talks to (docs/architecture.md, principle 7).
 * better-sqlite3 implements it on Node; a SQLite WASM build in OPFS can
 * implement it in a browser. Everything is synchronous: a local write is one
 * short transaction and the UI never waits for the network.
 */

export type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlRow = Record<string, SqlValue>;

export interface SqliteStatement {
  run(...params: readonly SqlValue[]): { changes: number };
  get(...params: readonly SqlValue[]): SqlRow | undefined;
  all(...params: readonly SqlValue[]): SqlRow[];
}

export type TransactionOptions = {
  /**
   * A power cut may lose this transaction whole — never part of it — because
   * it can be done again: a pulled page with its cursor is pulled again. An
   * implementation may then commit without waiting for the disk; the next
   * transaction that does wait (a local write) makes this one durable too.
   * Never for a local write: the outbox's promise is that a committed edit
   * survives.
   */
  readonly redoable?: boolean;
  /**
   * One of a series of large transactions that follow each other (a first
   * sync's pages), each rewriting much of what the last one wrote. An
   * implementation may let its write-ahead log grow further before it
   * checkpoints, so a page rewritten by every transaction is copied into the
   * database once rather than after each few (and, encrypted, decrypted and
   * encrypted again each time). Never changes what is committed.
   */
  readonly bulk?: boolean;
};

export interface SqliteDatabase {
  /** A prepared statement; implementations may cache them by SQL text. */
  prepare(sql: string): SqliteStatement;
  run(sql: string, params?: readonly SqlValue[]): { changes: number };
  get(sql: string, params?: readonly SqlValue[]): SqlRow | undefined;
  all(sql: string, params?: readonly SqlValue[]): SqlRow[];
  /** Runs several statements without parameters (schema). */
  exec(sql: string): void;
  /** Runs `fn` in one transaction: all of its writes or none. Nested calls join the outer one. */
  transaction<T>(fn: () => T, options?: TransactionOptions): T;
  /** Closes the connection; an implementation with background work (a checkpoint thread) finishes it first. */
  close(): void | Promise<void>;
}
