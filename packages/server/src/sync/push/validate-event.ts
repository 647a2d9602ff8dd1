/**
 * A step of the push pipeline (PROTOCOL §3; run-push.ts owns the order): checks one raw event against the
 * envelope schema and its table's registry entry. Pure. Payload keys are only
 * ever compared with the registry, so nothing from the payload can become a
 * table or column name in SQL. Messages name fields and paths, never values.
 */
import {
  columnSince,
  isTableName,
  rowDataSchema,
  SCHEMA_VERSION,
  storableName,
  syncEventSchema,
  tableSpec,
  toIssues,
  type Issue,
} from '@clinicsync/protocol';
import { reject, type Rejection, type ValidEvent } from './event-types.ts';

export type Validation = { readonly kind: 'valid'; readonly event: ValidEvent } | Rejection;

/**
 * Validates a raw event as sent by a client of `schemaVersion` (columns newer
 * than that version are unknown to it); returns the typed event or
 * `unknown_table` / `unknown_field` / `invalid_event`.
 */
export function validateEvent(raw: unknown, schemaVersion: number = SCHEMA_VERSION): Validation {
  const table = isRecord(raw) ? raw.table : undefined;
  if (typeof table === 'string' && !isTableName(table)) {
    return reject('unknown_table', `There is no table named ${quote(table)}.`);
  }

  const envelope = syncEventSchema.safeParse(raw);
  if (!envelope.success)
    return reject('invalid_event', `The event is malformed: ${describe(toIssues(envelope.error.issues))}.`);
  const { eventId, op, recordId, data } = envelope.data;
  const written = envelope.data.createdAt === undefined ? {} : { createdAt: envelope.data.createdAt };
  // A missing baseVersion reads as 0: right for an INSERT, refused below for UPDATE and DELETE.
  const baseVersion = envelope.data.baseVersion ?? 0;
  const name = envelope.data.table;
  // Already checked above; repeated so the type narrows to a registry table.
  if (!isTableName(name)) return reject('unknown_table', 'There is no such table.');
  const spec = tableSpec(name);

  if (op === 'DELETE') {
    if (data !== undefined) return reject('invalid_event', 'A DELETE carries no data.');
    if (baseVersion < 1)
      return reject('invalid_event', 'A DELETE must name the version it was based on (baseVersion ≥ 1).');
    return { kind: 'valid', event: { eventId, table: name, spec, op, recordId, baseVersion, data: {}, ...written } };
  }

  if (data === undefined) return reject('invalid_event', `An ${op} must carry data.`);
  if (op === 'INSERT' && baseVersion !== 0) return reject('invalid_event', 'An INSERT is based on version 0.');
  if (op === 'UPDATE' && baseVersion < 1)
    return reject('invalid_event', 'An UPDATE must name the version it was based on (baseVersion ≥ 1).');

  // System columns (id, version, updated_at, updated_by, deleted) are not
  // registry columns, so they are refused here like any other unknown key.
  // The keys come from the raw payload: parsing copies objects and would
  // silently turn an own "__proto__" key into a prototype.
  const rawData = isRecord(raw) && isRecord(raw.data) ? raw.data : data;
  const known = (key: string) => Object.hasOwn(spec.columns, key) && columnSince(spec.columns[key]!) <= schemaVersion;
  const unknown = Object.keys(rawData).filter((key) => !known(key));
  if (unknown.length > 0) {
    return reject(
      'unknown_field',
      `${spec.name} has no field ${unknown.slice(0, 5).map(quote).join(', ')}${unknown.length > 5 ? ' …' : ''}.`,
    );
  }

  const parsed = rowDataSchema(spec, op === 'INSERT' ? 'insert' : 'update', schemaVersion).safeParse(data);
  if (!parsed.success)
    return reject('invalid_event', `Invalid ${spec.label} data: ${describe(toIssues(parsed.error.issues))}.`);
  return {
    kind: 'valid',
    event: { eventId, table: name, spec, op, recordId, baseVersion, data: parsed.data, ...written },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A payload-chosen name, quoted and cut short so a message stays a sentence, and storable (outcomes are remembered). */
function quote(name: string): string {
  const json = JSON.stringify(storableName(name));
  return json.length > 66 ? `${json.slice(0, 63)}…"` : json;
}

function describe(issues: readonly Issue[]): string {
  const shown = issues.slice(0, 10).map((i) => `${i.path} (${i.code})`);
  return shown.join(', ') + (issues.length > 10 ? ', …' : '');
}
