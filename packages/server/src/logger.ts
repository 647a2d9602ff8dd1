/**
 * The structured logger the core writes to, as a port: pino on Node, JSON
 * lines to the console on the Workers runtime. Fields carry routes, codes and
 * ids only, never secrets or patient data (docs/style.md §4).
 */
type LogFn = (fields: object, message?: string) => void;

export type Logger = {
  child(bindings: Record<string, unknown>): Logger;
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
  readonly fatal: LogFn;
};
