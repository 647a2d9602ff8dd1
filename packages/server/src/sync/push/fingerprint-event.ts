/**
 * The content fingerprint of an event for idempotency (PROTOCOL §3): SHA-256
 * of a canonical JSON of `{table, op, recordId, baseVersion, data}`, so a
 * re-sent event matches its first copy whatever the key order, and the same
 * eventId with other content is recognised as reused. The hash is
 * `sha256Hex`: WebCrypto, or the runtime's built-in hash where it has one
 * (same digest, a tenth of the cost; see sha256-hex.ts).
 */
import { sha256Hex } from './sha256-hex.ts';

/** Hex SHA-256 of the event's content as sent (raw: invalid events are fingerprinted too). */
export async function fingerprintEvent(raw: unknown): Promise<string> {
  const event = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const content = canonicalJson({
    table: event.table ?? null,
    op: event.op ?? null,
    recordId: event.recordId ?? null,
    baseVersion: event.baseVersion ?? null,
    data: event.data ?? null,
  });
  return sha256Hex(content);
}

/** JSON with object keys sorted at every depth; written out directly so no key (not even "__proto__") is lost. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const entries = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${entries.join(',')}}`;
}
