import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeHashing } from '../../node/node-hashing.ts';
import { canonicalJson, fingerprintEvent, fingerprintsOf } from './fingerprint-event.ts';

const event = {
  eventId: 'e1',
  table: 'patients',
  op: 'UPDATE',
  recordId: 'r1',
  baseVersion: 2,
  data: { phone: '1', address: 'a' },
  createdAt: 'now',
};

describe('fingerprintEvent', () => {
  it('is the same whatever the key order', async () => {
    const reordered = {
      data: { address: 'a', phone: '1' },
      baseVersion: 2,
      recordId: 'r1',
      op: 'UPDATE',
      table: 'patients',
      eventId: 'e1',
    };
    expect(await fingerprintEvent(reordered, nodeHashing)).toBe(await fingerprintEvent(event, nodeHashing));
  });

  it('ignores the eventId and createdAt (a re-sent event keeps its content)', async () => {
    expect(await fingerprintEvent({ ...event, createdAt: 'later' }, nodeHashing)).toBe(
      await fingerprintEvent(event, nodeHashing),
    );
  });

  it.each([
    ['table', { table: 'vitals' }],
    ['op', { op: 'DELETE' }],
    ['recordId', { recordId: 'r2' }],
    ['baseVersion', { baseVersion: 3 }],
    ['data', { data: { phone: '2', address: 'a' } }],
  ])('changes with the %s', async (_field, change) => {
    expect(await fingerprintEvent({ ...event, ...change }, nodeHashing)).not.toBe(
      await fingerprintEvent(event, nodeHashing),
    );
  });

  it('fingerprints ids in their lowercase form, and keeps the fingerprint as sent for outcomes stored before', () => {
    const id = '7d4f5c1e-2f7b-4a55-9a0e-5a1f1b2c3d4e';
    const org = '0b6f2a8e-8c1d-4e3f-9a7b-1c2d3e4f5a6b';
    const lower = { ...event, table: 'teams', recordId: id, data: { organization_id: org, name: 'Ward' } };
    const shouted = {
      ...lower,
      recordId: id.toUpperCase(),
      data: { organization_id: org.toUpperCase(), name: 'Ward' },
    };
    const plain = fingerprintsOf(lower, nodeHashing);
    expect(plain).toEqual({
      canonical: fingerprintEvent(lower, nodeHashing),
      asSent: fingerprintEvent(lower, nodeHashing),
    });
    expect(fingerprintsOf(shouted, nodeHashing)).toEqual({
      canonical: plain.canonical,
      asSent: fingerprintEvent(shouted, nodeHashing),
    });
    // Text that only looks like an id in a free-text column keeps its case, and so does a table the registry lacks.
    const notes = { ...lower, data: { organization_id: org, name: id.toUpperCase() } };
    expect(fingerprintsOf(notes, nodeHashing).canonical).not.toBe(plain.canonical);
    const unknown = { ...shouted, table: 'wards' };
    expect(fingerprintsOf(unknown, nodeHashing).canonical).not.toBe(
      fingerprintsOf({ ...unknown, data: lower.data }, nodeHashing).canonical,
    );
  });

  // Stored fingerprints must stay comparable: the hashed text is the first version's, for any event as sent.
  it('hashes exactly what the first version hashed, for any event', () => {
    const field = fc.option(fc.jsonValue(), { nil: undefined });
    const anyEvent = fc.oneof(
      fc.record(
        { table: field, op: field, recordId: field, baseVersion: field, data: field, eventId: field },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(anyEvent, (raw) => {
        const parsed: unknown = JSON.parse(JSON.stringify(raw) ?? 'null');
        for (const event of [raw, parsed]) {
          const fields =
            typeof event === 'object' && event !== null && !Array.isArray(event)
              ? (event as Record<string, unknown>)
              : {};
          const first = firstCanonicalJson({
            table: fields.table ?? null,
            op: fields.op ?? null,
            recordId: fields.recordId ?? null,
            baseVersion: fields.baseVersion ?? null,
            data: fields.data ?? null,
          });
          expect(fingerprintEvent(event, nodeHashing)).toBe(nodeHashing.sha256Hex(first));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is a hex SHA-256', async () => {
    expect(await fingerprintEvent(event, nodeHashing)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps a "__proto__" key', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
    expect(canonicalJson(JSON.parse('{"__proto__": 1}'))).toBe('{"__proto__":1}');
  });

  // Text is written without JSON.stringify when nothing in it needs escaping: the same bytes for any text.
  it('writes any text exactly as JSON.stringify does, as a value and as a key', () => {
    const edges = [
      '',
      'plain',
      'a"b',
      'a\\b',
      'tab\tnew\nline',
      '\u0000\u001f\u007f',
      '\u2028\u2029',
      '🙂',
      'a\ud800b',
      '\udfff',
      'é',
    ];
    const anyText = fc.oneof(fc.constantFrom(...edges), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));
    fc.assert(
      fc.property(anyText, anyText, (key, value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(value));
        expect(canonicalJson({ [key]: value })).toBe(firstCanonicalJson({ [key]: value }));
      }),
      { numRuns: 1000 },
    );
  });

  it('fingerprints absurdly nested data without exhausting the stack', async () => {
    let nested: unknown = 'x';
    for (let i = 0; i < 200_000; i++) nested = [nested];
    expect(fingerprintEvent({ ...event, data: { notes: nested } }, nodeHashing)).toMatch(/^[0-9a-f]{64}$/);
  });

  // Stored fingerprints must stay comparable: the output is the first version's, byte for byte.
  it('writes exactly what the first version wrote, for any JSON', () => {
    const anything = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '')), fc.jsonValue()),
      fc.array(fc.option(fc.jsonValue(), { nil: undefined })),
    );
    fc.assert(
      fc.property(anything, (value) => {
        expect(canonicalJson(value)).toBe(firstCanonicalJson(value));
        // As the server receives it: parsed from the request's text.
        const parsed: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
        expect(canonicalJson(parsed)).toBe(firstCanonicalJson(parsed));
      }),
      { numRuns: 500 },
    );
    const holes: unknown[] = [1];
    holes[3] = 'x';
    expect(canonicalJson({ a: holes, b: undefined })).toBe(firstCanonicalJson({ a: holes, b: undefined }));
  });
});

/** canonicalJson as first written (map/filter/join), the reference for the stored fingerprints. */
function firstCanonicalJson(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (depth >= 32) return '"(nested too deep)"';
  if (Array.isArray(value)) return `[${value.map((item) => firstCanonicalJson(item, depth + 1)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const entries = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${firstCanonicalJson(record[key], depth + 1)}`);
  return `{${entries.join(',')}}`;
}
