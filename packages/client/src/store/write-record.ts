/**
 * The single write path (docs/architecture.md, principle 1): each write validates its data
 * with the registry, then writes the row and appends its outbox event in one
 * local transaction, both or neither. Bad data is refused here with the
 * `{path, code}` issues the server would give, before anything is queued.
 */
import {
  clinicalIssues,
  columnSince,
  localToday,
  CODED_VITALS_SINCE,
  isTableName,
  rowDataSchema,
  tableSpec,
  toIssues,
  type Issue,
  type TableName,
} from '@clinicsync/protocol';
import { z } from 'zod';
import { LocalValidationError, NotFoundError } from '../errors.ts';
import { nextClinicNumber } from './clinic-number.ts';
import { dataColumns, type Row } from './local-columns.ts';
import { organizationOf, readRow, writeRow } from './local-rows.ts';
import { appendEvent } from './outbox.ts';
import { rememberServerRow } from './server-rows.ts';
import { storeSchemaVersion, type StoreContext } from './store-context.ts';

const idSchema = z.uuid();

function refuse(issues: Issue[]): never {
  throw new LocalValidationError(
    `The data was refused: ${issues.map((i) => `${i.path} (${i.code})`).join(', ')}.`,
    issues,
  );
}

function checkTable(table: string): asserts table is TableName {
  if (!isTableName(table)) refuse([{ path: 'table', code: 'unknown_table' }]);
}

/** Validates as the server will for this client's schema version: a column it does not know is an unknown field. */
export function validate(
  ctx: StoreContext,
  table: TableName,
  mode: 'insert' | 'update',
  data: unknown,
): Record<string, unknown> {
  const result = rowDataSchema(tableSpec(table), mode, storeSchemaVersion(ctx)).safeParse(data);
  if (!result.success) refuse(toIssues(result.error.issues));
  return result.data;
}

/**
 * The clinical rules the server applies (PROTOCOL §2b, `clinicalIssues`), on
 * the row as it will be; refused here with the same field paths, so the form
 * shows them before anything is queued. An older client's free-text vitals
 * are the server's to map, so only a version 3 store checks vitals.
 */
function checkClinical(
  ctx: StoreContext,
  table: TableName,
  row: Readonly<Record<string, unknown>>,
  changed?: readonly string[],
): void {
  if (table === 'vitals' && storeSchemaVersion(ctx) < CODED_VITALS_SINCE) return;
  const now = ctx.clock.now();
  // The device's own calendar: the day the server will read from the event's createdAt.
  const issues = clinicalIssues(table, row, { now, today: localToday(now), ...(changed ? { changed } : {}) });
  if (issues.length > 0) refuse(issues.map((issue) => ({ path: issue.path, code: issue.code })));
}

/** Whether this store gives new patients a clinic number: from the schema version that has the column on. */
function assignsClinicNumbers(ctx: StoreContext, table: TableName): boolean {
  const identifier = tableSpec('patients').columns.identifier;
  return table === 'patients' && identifier !== undefined && columnSince(identifier) <= storeSchemaVersion(ctx);
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

/** Inserts a new row (its `id` may be given, else one is generated) and queues its INSERT; returns the row. */
export function insertRecord(ctx: StoreContext, table: TableName, input: Readonly<Record<string, unknown>>): Row {
  checkTable(table);
  const { id: givenId, ...fields } = input;
  if (givenId !== undefined && !idSchema.safeParse(givenId).success) refuse([{ path: 'id', code: 'invalid_format' }]);
  const validated = validate(ctx, table, 'insert', fields);
  checkClinical(ctx, table, validated);
  const id = (givenId as string | undefined) ?? ctx.ids.newId();

  return ctx.db.transaction(() => {
    if (readRow(ctx.db, table, id)) refuse([{ path: 'id', code: 'already_exists' }]);
    // Drawn in this transaction, so a number is used once even if the insert fails (docs/clinic-numbers.md).
    const data =
      assignsClinicNumbers(ctx, table) && (validated.identifier ?? null) === null
        ? { ...validated, identifier: nextClinicNumber(ctx.db, () => ctx.ids.newId()) }
        : validated;
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
export function updateRecord(
  ctx: StoreContext,
  table: TableName,
  id: string,
  changes: Readonly<Record<string, unknown>>,
): Row {
  checkTable(table);
  const data = validate(ctx, table, 'update', changes);
  const spec = tableSpec(table);

  return ctx.db.transaction(() => {
    const stored = readRow(ctx.db, table, id);
    if (!stored || stored.row.deleted) throw new NotFoundError('record', id);
    const changed = Object.fromEntries(
      Object.entries(data).filter(([field, value]) => !sameValue(stored.row[field], value)),
    );
    const immutable = Object.keys(changed).filter((field) => spec.immutable.includes(field));
    if (immutable.length > 0) refuse(immutable.map((path) => ({ path, code: 'immutable_field' })));
    if (Object.keys(changed).length === 0) return stored.row;
    checkClinical(ctx, table, { ...stored.row, ...changed }, Object.keys(changed));

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
