/**
 * The content fingerprint of an event for idempotency (PROTOCOL §3): SHA-256
 * of a canonical JSON of `{table, op, recordId, baseVersion, data}`, so a
 * re-sent event matches its first copy whatever the key order, and the same
 * eventId with other content is recognised as reused. WebCrypto only, so the
 * pipeline runs on edge runtimes too (DESIGN principle 7).
 */

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
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(content));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
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
