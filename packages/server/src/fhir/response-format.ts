/**
 * The formats this server answers in: FHIR JSON, and NDJSON for Bulk Data
 * files. A request that asks only for another one (`_format=xml`, `Accept:
 * application/fhir+xml`) is answered 406 with an OperationOutcome, as FHIR
 * R4 says of a format the server does not support (http.html §2.21.0.6),
 * rather than with JSON it did not ask for.
 */
import type { MiddlewareHandler } from 'hono';
import { FhirError } from './operation-outcome.ts';
import { singleParam } from './search-params.ts';

const SERVED = new Set([
  'json',
  'application/json',
  'application/fhir+json',
  'application/json+fhir',
  'ndjson',
  'application/ndjson',
  'application/fhir+ndjson',
]);

/** True when the request can take one of the served formats (no preference counts as yes). */
export function acceptsServedFormat(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined && format !== '') return SERVED.has(mediaType(format));
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const quality = /;\s*q\s*=\s*([0-9.]+)/i.exec(part)?.[1];
    if (quality !== undefined && Number(quality) === 0) return false;
    const type = mediaType(part);
    return type === '*/*' || type === 'application/*' || SERVED.has(type);
  });
}

function mediaType(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

/** Refuses, before anything else runs, a request for a format this server cannot produce. */
export function requireServedFormat(): MiddlewareHandler {
  return async (c, next) => {
    const format = singleParam(new URL(c.req.url).searchParams, '_format') ?? undefined;
    if (!acceptsServedFormat(format, c.req.header('accept')))
      throw new FhirError(406, 'not-supported', 'This server answers in FHIR JSON (application/fhir+json) only.');
    await next();
  };
}
