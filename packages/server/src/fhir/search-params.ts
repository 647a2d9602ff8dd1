/**
 * The search parameters this server understands (PROTOCOL §8): `patient`,
 * `_lastUpdated` (with the prefixes eq, gt, ge, lt, le, sa, eb at any
 * precision from a year to milliseconds), `_count` and the paging cursor it
 * writes into `next` links itself. Other parameters are ignored, as FHIR's
 * lenient handling says, unless the client asks `Prefer: handling=strict`.
 */
import { canonicalId } from '@clinicsync/protocol';
import { FhirError } from './operation-outcome.ts';
import type { UpdatedRange } from './read-fhir-rows.ts';

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 1000;
/** The paging parameter of `next` links: the id of the last entry of the page before. */
export const CURSOR_PARAM = '_cursor';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const KNOWN = new Set(['_lastUpdated', '_count', CURSOR_PARAM, '_format']);

/**
 * The one value of a parameter FHIR gives a single value: a result parameter (`_count`, `_format`, the paging
 * cursor) or an operation's (`_since`, `_outputFormat`). Only search parameters repeat, meaning AND
 * (`_lastUpdated` as a lower and an upper bound); a second `_count` has no meaning, so keeping the first would
 * answer a question the client may not have asked: it is a 400, in lenient handling too.
 */
export function singleParam(query: URLSearchParams, name: string): string | null {
  const values = query.getAll(name);
  if (values.length > 1) throw new FhirError(400, 'invalid', `Give the parameter ${name} once.`);
  return values[0] ?? null;
}

export type SearchParams = {
  readonly patientId?: string;
  readonly updated: readonly UpdatedRange[];
  readonly count: number;
  readonly afterId?: string;
};

/** The `[start, end)` instants a FHIR date or dateTime at its own precision covers, in ISO-8601 UTC. */
export function dateTimeRange(value: string): { start: string; end: string } | undefined {
  const m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/.exec(
      value,
    );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? undefined : Number(mo) - 1;
  const day = d === undefined ? undefined : Number(d);
  if (month !== undefined && (month < 0 || month > 11)) return undefined;
  if (day !== undefined && (day < 1 || day > 31)) return undefined;
  if (h !== undefined && zone === undefined) return undefined;
  // Date.UTC rolls 10:60 over to 11:00 and 24:00 to the next day: a time that does not exist is refused instead,
  // as the API reference's pattern says (no leap second either, like a pushed timestamp).
  if (Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) return undefined;
  if (zone !== undefined && zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59))
    return undefined;
  const offsetMs =
    zone === undefined || zone === 'Z'
      ? 0
      : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const start = Date.UTC(year, month ?? 0, day ?? 1, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms) - offsetMs;
  let end: number;
  if (month === undefined) end = Date.UTC(year + 1, 0, 1);
  else if (day === undefined) end = Date.UTC(year, month + 1, 1);
  else if (h === undefined) end = Date.UTC(year, month, day + 1);
  else if (s === undefined) end = start + 60_000;
  else if (frac === undefined) end = start + 1000;
  else end = start + 1;
  if (!Number.isFinite(start) || new Date(start).getUTCFullYear() < 1) return undefined;
  // A day that does not exist (Feb 30) rolls over in Date.UTC; refuse it instead.
  if (day !== undefined && new Date(start + offsetMs).getUTCDate() !== day) return undefined;
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

/** One `_lastUpdated` value as an `updated_at` range. */
export function lastUpdatedRange(param: string): UpdatedRange {
  const m = /^(eq|gt|ge|lt|le|sa|eb)?(.+)$/.exec(param);
  const range = m ? dateTimeRange(m[2]!) : undefined;
  if (!m || !range)
    throw new FhirError(
      400,
      'value',
      'The _lastUpdated value is not a FHIR date or dateTime with a supported prefix (eq, gt, ge, lt, le, sa, eb).',
    );
  switch (m[1] ?? 'eq') {
    case 'eq':
      return { from: range.start, to: range.end };
    case 'ge':
      return { from: range.start };
    case 'gt':
    case 'sa':
      return { from: range.end };
    case 'le':
      return { to: range.end };
    default: // lt, eb
      return { to: range.start };
  }
}

/** A `patient` (or `subject`) value: `Patient/<id>`, a full URL ending so, or a bare id. */
export function patientIdParam(value: string): string {
  const id = value.replace(/^.*\bPatient\//, '');
  if (!FHIR_ID.test(id)) throw new FhirError(400, 'value', 'The patient parameter must be a Patient reference or id.');
  return canonicalId(id);
}

export function parseSearch(
  query: URLSearchParams,
  /** `patientParams`: the parameters naming the patient on this type (`patient`, and `subject` where R4 has it). */
  options: { readonly strict: boolean; readonly patientParams: readonly string[] },
): SearchParams {
  if (options.strict) {
    for (const name of query.keys()) {
      if (!KNOWN.has(name) && !options.patientParams.includes(name))
        throw new FhirError(400, 'not-supported', `The search parameter ${name.slice(0, 64)} is not supported.`);
    }
  }
  // `patient=X&subject=Patient/X` names one patient; two different ones (or one twice) is refused, not intersected.
  const patients = new Set(options.patientParams.flatMap((name) => query.getAll(name).map(patientIdParam)));
  if (patients.size > 1 || options.patientParams.some((name) => query.getAll(name).length > 1))
    throw new FhirError(400, 'not-supported', 'Give the patient parameter once.');
  const countText = singleParam(query, '_count');
  let count = DEFAULT_COUNT;
  if (countText !== null) {
    if (!/^\d{1,7}$/.test(countText)) throw new FhirError(400, 'value', '_count must be a whole number.');
    count = Math.min(Number(countText), MAX_COUNT);
  }
  const lastUpdated = query.getAll('_lastUpdated');
  if (lastUpdated.length > 2)
    throw new FhirError(400, 'not-supported', 'Give _lastUpdated at most twice (a lower and an upper bound).');
  const cursor = singleParam(query, CURSOR_PARAM) ?? undefined;
  if (cursor !== undefined && !FHIR_ID.test(cursor))
    throw new FhirError(400, 'value', 'The paging cursor is not valid.');
  return {
    ...(patients.size === 1 ? { patientId: [...patients][0]! } : {}),
    updated: lastUpdated.map(lastUpdatedRange),
    count,
    // Used as the server wrote it (the last id of the page before): folded, a page ending on an id stored in
    // capitals (written before ids were folded) would skip every id between the two spellings.
    ...(cursor !== undefined ? { afterId: cursor } : {}),
  };
}
