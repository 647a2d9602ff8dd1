/**
 * The parts of the Workers runtime this package uses, typed structurally
 * (as the Durable Object and binding docs describe them), so the Worker
 * type-checks without pulling the runtime's whole global type set into the
 * repository's projects.
 */
export type SqlValue = ArrayBuffer | string | number | null;

export type SqlCursor = {
  toArray(): Record<string, SqlValue>[];
  readonly columnNames: readonly string[];
  readonly rowsWritten: number;
};

export type SqlStorage = {
  exec(query: string, ...bindings: SqlValue[]): SqlCursor;
};

export type DurableObjectStorage = {
  readonly sql: SqlStorage;
  transaction<T>(closure: () => Promise<T>): Promise<T>;
  setAlarm(scheduledTime: number): Promise<void>;
  getAlarm(): Promise<number | null>;
};

export type DurableObjectState = {
  readonly storage: DurableObjectStorage;
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
};

export type DurableObjectStub = { fetch(request: Request): Promise<Response> };

export type DurableObjectNamespace = {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStub;
};
