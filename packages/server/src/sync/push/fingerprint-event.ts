/**
 * The content fingerprint of an event for idempotency (PROTOCOL §3): SHA-256
 * of a canonical JSON of `{table, op, recordId, baseVersion, data}`, so a
 * re-sent event matches its first copy whatever the key order and whatever
 * the letter case of its ids (`fingerprintsOf`), and the same eventId with
 * other content is recognised as reused. The hash is the
 * runtime's own synchronous SHA-256, passed in (`Hashing`, hashing.ts).
 */
import { canonicalId, isTableName, TABLE_NAMES, TABLES, type TableName } from '@clinicsync/protocol';
import type { Hashing } from '../../hashing.ts';

/**
 * An event's fingerprints: `canonical` over its ids in their lowercase form (what the ledger stores), and
 * `asSent` over the event exactly as it came, for fingerprints stored before ids were folded. They are the
 * same text, hashed once, for an event whose ids are all lowercase already.
 */
export type EventFingerprint = { readonly canonical: string; readonly asSent: string };

/**
 * The fingerprints of an event (raw: invalid events are fingerprinted too). Ids are compared in their lowercase
 * form everywhere (protocol ids.ts), so a re-send that spells its recordId or a reference in capitals is the same
 * event, answered `duplicate`, not `event_id_reused`.
 */
export function fingerprintsOf(raw: unknown, hashing: Pick<Hashing, 'sha256Hex'>): EventFingerprint {
  const folded = foldIds(raw);
  const canonical = fingerprintEvent(folded, hashing);
  return { canonical, asSent: folded === raw ? canonical : fingerprintEvent(raw, hashing) };
}

/** The columns of each table that hold ids (references), from the registry; derived once, never changed. */
const ID_COLUMNS: ReadonlyMap<TableName, readonly string[]> = new Map(
  TABLE_NAMES.map((name) => [
    name,
    Object.entries(TABLES[name].columns)
      .filter(([, column]) => column.type === 'uuid')
      .map(([column]) => column),
  ]),
);

/** `value` in its lowercase form when it is a UUID spelled with capitals; anything else as it is. */
function foldId(value: unknown): unknown {
  return typeof value === 'string' ? canonicalId(value) : value;
}

/** The event with its recordId and its data's id columns folded to lowercase; the same object when none changes. */
function foldIds(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const event = raw as Record<string, unknown>;
  const recordId = foldId(event.recordId);
  let data = event.data;
  const table = event.table;
  if (
    typeof table === 'string' &&
    isTableName(table) &&
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data)
  ) {
    const fields = data as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const column of ID_COLUMNS.get(table) ?? []) {
      if (!Object.hasOwn(fields, column)) continue;
      const folded = foldId(fields[column]);
      if (folded === fields[column]) continue;
      copy ??= { ...fields };
      copy[column] = folded;
    }
    if (copy) data = copy;
  }
  return recordId === event.recordId && data === event.data ? raw : { ...event, recordId, data };
}

/** Hex SHA-256 of the event's content as sent (raw: invalid events are fingerprinted too). */
export function fingerprintEvent(raw: unknown, hashing: Pick<Hashing, 'sha256Hex'>): string {
  const event = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return hashing.sha256Hex(envelopeJson(event));
}

/**
 * canonicalJson of `{table, op, recordId, baseVersion, data}` (each absent one null), written with its five keys
 * already in sorted order: the same text, without sorting and quoting the envelope's keys for every event.
 */
function envelopeJson(event: Record<string, unknown>): string {
  return (
    `{"baseVersion":${canonicalJson(event.baseVersion ?? null, 1)},"data":${canonicalJson(event.data ?? null, 1)}` +
    `,"op":${canonicalJson(event.op ?? null, 1)},"recordId":${canonicalJson(event.recordId ?? null, 1)}` +
    `,"table":${canonicalJson(event.table ?? null, 1)}}`
  );
}

// Valid event data is one level of scalars; anything nested this deep is
// invalid anyway (validation refuses it), and must not exhaust the stack here.
const MAX_DEPTH = 32;

/**
 * JSON with object keys sorted at every depth; written out directly so no key (not even "__proto__") is lost.
 * Loops and one growing string instead of map/filter/join: it runs for every event of every batch. A
 * fingerprint is stored, so the text must never change: the test holds it to the first version's output.
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (typeof value === 'string') return quoted(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (depth >= MAX_DEPTH) return '"(nested too deep)"';
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      // A hole stays empty, as `Array.prototype.map` and `join` wrote it.
      if (index in value) out += canonicalJson(value[index], depth + 1);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${quoted(key)}:${canonicalJson(item, depth + 1)}`;
  }
  return `${out}}`;
}

// JSON.stringify escapes only a quote, a backslash, a control character and a lone surrogate: text with none of them
// (most names and values) is written as it is, which costs a fraction of a JSON.stringify call per key and value.
// Any surrogate, paired or not, takes JSON.stringify's own way.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among those that need escaping.
const PLAIN_TEXT = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function quoted(text: string): string {
  return PLAIN_TEXT.test(text) ? `"${text}"` : JSON.stringify(text);
}
