/**
 * fast-check arbitraries built from the API reference's JSON Schemas, the way
 * a generated client or an API fuzzer reads them: a value drawn here is valid
 * by the document (`const`, `enum`, `oneOf`, formats, patterns, bounds,
 * required and closed objects). What the document cannot state (a registry
 * refinement, a row that must exist) the server may still refuse, with a
 * documented code. Covers the subset of JSON Schema the document uses and
 * throws on anything else, so a new keyword cannot be silently ignored.
 */
import fc from 'fast-check';
import type { OpenApiDocument } from '../../src/openapi/build-document.ts';

export type JsonSchema = Record<string, unknown>;

/** Annotations that do not constrain a value. */
const IGNORED = new Set(['description', 'example', 'examples', 'default', 'title', 'id', 'deprecated', 'readOnly']);
const HANDLED = new Set([
  ...IGNORED,
  '$ref',
  'type',
  'const',
  'enum',
  'oneOf',
  'anyOf',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'propertyNames',
]);

export type SchemaArbitraryOptions = {
  /** Most array items drawn (default 3), below the schema's own `maxItems`. */
  readonly maxItems?: number;
  /** Chance of including each optional property (default 0.5). */
  readonly optionalProbability?: number;
};

/** Resolves `#/…` references against `document`. */
export function resolveRef(document: OpenApiDocument, ref: string): JsonSchema {
  if (!ref.startsWith('#/')) throw new Error(`schema-arbitrary: only local references, not ${ref}`);
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    node = (node as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  if (!node || typeof node !== 'object') throw new Error(`schema-arbitrary: ${ref} does not resolve`);
  return node as JsonSchema;
}

/** An arbitrary of values valid by `schema` (references resolved in `document`). */
export function arbitraryFromSchema(
  document: OpenApiDocument,
  schema: JsonSchema,
  options: SchemaArbitraryOptions = {},
): fc.Arbitrary<unknown> {
  const unknownKeys = Object.keys(schema).filter((key) => !HANDLED.has(key));
  if (unknownKeys.length > 0) throw new Error(`schema-arbitrary: unsupported keywords ${unknownKeys.join(', ')}`);
  if (typeof schema.$ref === 'string') return arbitraryFromSchema(document, resolveRef(document, schema.$ref), options);
  if ('const' in schema) return fc.constant(schema.const);
  // `{}` (zod's `unknown`): any JSON value.
  if (Object.keys(schema).every((key) => IGNORED.has(key))) return fc.jsonValue({ maxDepth: 2 });
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryFromSchema(document, s, options)));
  const type = schema.type;
  if (Array.isArray(type))
    return fc.oneof(...type.map((t) => arbitraryFromSchema(document, { ...schema, type: t }, options)));
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number':
      return numberArbitrary(schema, type);
    case 'string':
      return stringArbitrary(schema);
    case 'array': {
      const items = arbitraryFromSchema(document, (schema.items ?? {}) as JsonSchema, options);
      const minLength = (schema.minItems as number | undefined) ?? 0;
      const maxLength = Math.max(
        minLength,
        Math.min((schema.maxItems as number | undefined) ?? Infinity, options.maxItems ?? 3),
      );
      return fc.array(items, { minLength, maxLength });
    }
    case 'object':
      return objectArbitrary(document, schema, options);
    default:
      throw new Error(`schema-arbitrary: no type in ${JSON.stringify(schema).slice(0, 200)}`);
  }
}

function numberArbitrary(schema: JsonSchema, type: 'integer' | 'number'): fc.Arbitrary<number> {
  const exclusiveMin = schema.exclusiveMinimum as number | undefined;
  const exclusiveMax = schema.exclusiveMaximum as number | undefined;
  if (type === 'integer') {
    const min = (schema.minimum as number | undefined) ?? (exclusiveMin !== undefined ? exclusiveMin + 1 : -(2 ** 31));
    const max = (schema.maximum as number | undefined) ?? (exclusiveMax !== undefined ? exclusiveMax - 1 : 2 ** 31 - 1);
    return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
  }
  return fc.double({
    min: (schema.minimum as number | undefined) ?? exclusiveMin ?? -1e9,
    max: (schema.maximum as number | undefined) ?? exclusiveMax ?? 1e9,
    minExcluded: exclusiveMin !== undefined,
    maxExcluded: exclusiveMax !== undefined,
    noNaN: true,
    noDefaultInfinity: true,
  });
}

const FORMATS: Record<string, () => fc.Arbitrary<string>> = {
  uuid: () => fc.uuid(),
  'date-time': () =>
    fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  date: () =>
    fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
};

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = (schema.maxLength as number | undefined) ?? 64;
  const format = schema.format as string | undefined;
  const pattern = schema.pattern as string | undefined;
  // A format comes with its own pattern in this document; the format's generator is the readable one.
  const base =
    format && FORMATS[format]
      ? FORMATS[format]()
      : pattern
        ? fc.stringMatching(new RegExp(pattern))
        : fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 40) });
  const patternOk = pattern ? new RegExp(pattern) : undefined;
  return base.filter(
    (s) =>
      s.length >= minLength &&
      s.length <= maxLength &&
      (!patternOk || patternOk.test(s)) &&
      isStorable(s) &&
      (!pattern || hasOnlyRealDates(s)),
  );
}

/**
 * No pattern can say that February 31 or year 0 do not exist; the server
 * refuses them. A drawn `YYYY-MM-DD` is therefore a day of the calendar.
 */
function hasOnlyRealDates(s: string): boolean {
  return [...s.matchAll(/(\d{4})-(\d{2})-(\d{2})/g)].every(([whole, year]) => {
    const date = new Date(`${whole}T00:00:00Z`);
    return Number(year) >= 1 && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(whole);
  });
}

/** Text a client can send at all: no lone surrogates (not encodable as UTF-8 JSON). */
function isStorable(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function objectArbitrary(document: OpenApiDocument, schema: JsonSchema, options: SchemaArbitraryOptions) {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const probability = options.optionalProbability ?? 0.5;
  const entries = Object.entries(properties).map(([key, child]) => {
    const value = arbitraryFromSchema(document, child, options);
    return [
      key,
      required.has(key)
        ? value.map((v) => ({ present: true, v }))
        : fc.record({ present: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < probability), v: value }),
    ] as const;
  });
  if (schema.additionalProperties !== false && schema.additionalProperties !== undefined && entries.length === 0) {
    // A map (`record`): a few keys of its value schema.
    const value = arbitraryFromSchema(document, schema.additionalProperties as JsonSchema, options);
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), value, { maxKeys: 3 });
  }
  return fc.record(Object.fromEntries(entries)).map((drawn) => {
    const out: Record<string, unknown> = {};
    for (const [key, { present, v }] of Object.entries(drawn as Record<string, { present: boolean; v: unknown }>)) {
      if (present) out[key] = v;
    }
    return out;
  });
}
