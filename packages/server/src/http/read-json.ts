/**
 * Reads and validates request input against a protocol schema. Malformed JSON,
 * a non-JSON body or a schema failure all end as `400 invalid_request` with
 * the failing paths in `details.issues` (never the values: they may be patient data).
 */
import { ApiError, toIssues } from '@clinicsync/protocol';
import type { Context } from 'hono';
import type { z } from 'zod';

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch (cause) {
    if (cause instanceof ApiError) throw cause; // body limit
    throw new ApiError('invalid_request', 'The request body is not valid JSON.', { details: { issues: [{ path: '(root)', code: 'invalid_json' }] } });
  }
  return parseInput(schema, body, 'The request body is invalid.');
}

export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseInput(schema, c.req.query(), 'The query string is invalid.');
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ApiError('invalid_request', message, { details: { issues: toIssues(parsed.error.issues) } });
  return parsed.data;
}
