/**
 * The single write path (DESIGN principle 1): each write validates its data
 * with the registry, then writes the row and appends its outbox event in one
 * local transaction, both or neither. Bad data is refused here with the
 * `{path, code}` issues the server would give, before anything is queued.
 */
import { isTableName, rowDataSchema, tableSpec, toIssues, type Issue, type TableName } from '@clinicsync/protocol';
import { z } from 'zod';
import { LocalValidationError, NotFoundError } from '../errors.ts';
import { dataColumns, type Row } from './local-columns.ts';
import { organizationOf, readRow, writeRow } from './local-rows.ts';
import { appendEvent } from './outbox.ts';
import { rememberServerRow } from './server-rows.ts';
import { storeSchemaVersion, type StoreContext } from './store-context.ts';

const idSchema = z.uuid();

function refuse(issues: Issue[]): never {
  throw new LocalValidationError(`The data was refused: ${issues.map((i) => `${i.path} (${i.code})`).join(', ')}.`, issues);
}

function checkTable(table: string): asserts table is TableName {
  if (!isTableName(table)) refuse([{ path: 'table', code: 'unknown_table' }]);
}

/** Validates as the server will for this client's schema version: a column it does not know is an unknown field. */
export function validate(ctx: StoreContext, table: TableName, mode: 'insert' | 'update', data: unknown): Record<string, unknown> {
  const result = rowDataSchema(tableSpec(table), mode, storeSchemaVersion(ctx)).safeParse(data);
  if (!result.success) refuse(toIssues(result.error.issues));
  return result.data;
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

/** Inserts a new row (its `id` may be given, else one is generated) and queues its INSERT; returns the row. */
export function insertRecord(ctx: StoreContext, table: TableName, input: Readonly<Record<string, unknown>>): Row {
  checkTable(table);
  const { id: givenId, ...fields } = input;
  if (givenId !== undefined && !idSchema.safeParse(givenId).success) refuse([{ path: 'id', code: 'invalid_format' }]);
  const data = validate(ctx, table, 'insert', fields);
  const id = (givenId as string | undefined) ?? ctx.ids.newId();

  return ctx.db.transaction(() => {
    if (readRow(ctx.db, table, id)) refuse([{ path: 'id', code: 'already_exists' }]);
    const row: Row = {
      id,
      version: 0,
      updated_at: ctx.clock.now().toISOString(),
      updated_by: null,
      deleted: false,
      ...Object.fromEntries(dataColumns(table, storeSchemaVersion(ctx)).map(([c]) => [c, data[c] ?? null])),
    };
    rememberServerRow(ctx.db, table, id);
    writeRow(ctx.db, table, row, organizationOf(ctx.db, table, id, data));
    appendEvent(ctx, { table, recordId: id, op: 'INSERT', baseVersion: 0, data });
    return row;
  });
}

/**
 * Changes some fields of a row and queues an UPDATE carrying only the fields
 * whose value really changed, based on the server version the row shows.
 * Changing nothing writes nothing. Throws NotFoundError for a missing or
 * deleted row, LocalValidationError for bad data or an immutable field.
 */
export function updateRecord(ctx: StoreContext, table: TableName, id: string, changes: Readonly<Record<string, unknown>>): Row {
  checkTable(table);
  const data = validate(ctx, table, 'update', changes);
  const spec = tableSpec(table);

  return ctx.db.transaction(() => {
    const stored = readRow(ctx.db, table, id);
    if (!stored || stored.row.deleted) throw new NotFoundError('record', id);
    const changed = Object.fromEntries(Object.entries(data).filter(([field, value]) => !sameValue(stored.row[field], value)));
    const immutable = Object.keys(changed).filter((field) => spec.immutable.includes(field));
    if (immutable.length > 0) refuse(immutable.map((path) => ({ path, code: 'immutable_field' })));
    if (Object.keys(changed).length === 0) return stored.row;

    const row: Row = { ...stored.row, ...changed, updated_at: ctx.clock.now().toISOString() };
    rememberServerRow(ctx.db, table, id);
    writeRow(ctx.db, table, row, null);
    appendEvent(ctx, { table, recordId: id, op: 'UPDATE', baseVersion: stored.row.version, data: changed });
    return row;
  });
}

/** Marks a row deleted (a tombstone, as on the server) and queues its DELETE. Throws NotFoundError when already gone. */
export function deleteRecord(ctx: StoreContext, table: TableName, id: string): void {
  checkTable(table);
  ctx.db.transaction(() => {
    const stored = readRow(ctx.db, table, id);
    if (!stored || stored.row.deleted) throw new NotFoundError('record', id);
    rememberServerRow(ctx.db, table, id);
    writeRow(ctx.db, table, { ...stored.row, deleted: true, updated_at: ctx.clock.now().toISOString() }, null);
    appendEvent(ctx, { table, recordId: id, op: 'DELETE', baseVersion: stored.row.version, data: null });
  });
}
