/** The FHIR JSON answer (FHIR R4 §3.1.0.1.7): one media type and one way to send a resource. */
import type { Context } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** A FHIR resource as this layer builds it: JSON data with its type and, once stored, its id. */
export type FhirResource = { readonly resourceType: string; readonly id?: string; readonly [key: string]: unknown };

/** Sends `body` as FHIR JSON; `c.newResponse` keeps the headers middleware set (the request id). */
export function fhirJson(c: Context, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return c.newResponse(JSON.stringify(body), status as StatusCode, { 'content-type': FHIR_JSON, ...headers });
}
