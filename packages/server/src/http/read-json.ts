/**
 * Reads and validates request input against a protocol schema. Malformed JSON,
 * a non-JSON body or a schema failure all end as `400 invalid_request` with
 * the failing paths in `details.issues` (never the values: they may be patient data).
 */
import { ApiError, findUnstorable, isStorableText, toIssues, UNSTORABLE_TEXT } from '@clinicsync/protocol';
import type { Context } from 'hono';
import { countOwnKeys, scanJson } from './scan-json-shape.ts';
import type { z } from 'zod';

/**
 * No request of the API has an object with more keys than this (a push
 * event's data has one per column); nesting is left to each route, since a
 * push refuses absurd nesting per event (sync/push/check-shape.ts).
 */
export const BODY_SHAPE = { maxKeysPerObject: 1000, maxDepth: Number.POSITIVE_INFINITY } as const;

export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
  options: {
    /** Top-level keys whose contents are checked per item later (a push's `events`: one bad event is refused alone, not the whole batch). */
    readonly perEvent?: readonly string[];
  } = {},
): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await c.req.text();
  } catch (cause) {
    if (cause instanceof ApiError) throw cause; // body limit
    throw new ApiError('invalid_request', 'The request body could not be read.', {
      details: { issues: [{ path: '(root)', code: 'invalid_json' }] },
    });
  }
  // Before parsing: an object with more keys than any request has costs far more to build than to refuse (docs/security.md "Cheap refusal").
  const shape = scanJson(text, BODY_SHAPE);
  if (shape.problem !== null) {
    throw new ApiError(
      'invalid_request',
      `The request body holds an object with more than ${BODY_SHAPE.maxKeysPerObject} keys.`,
      {
        details: { issues: [{ path: '(root)', code: 'too_many_keys' }], maxKeysPerObject: BODY_SHAPE.maxKeysPerObject },
      },
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_request', 'The request body is not valid JSON.', {
      details: { issues: [{ path: '(root)', code: 'invalid_json' }] },
    });
  }
  // An object naming one key twice (`{"deviceId": a, "deviceId": b}`) has no one meaning (RFC 8259 §4: receivers
  // differ; RFC 7493 forbids it): the parser kept the last, another reader may keep the first. No JSON writer
  // produces one, so it is refused like text that is not JSON, not silently read one way.
  if (countOwnKeys(body) !== shape.keys) {
    throw new ApiError('invalid_request', 'The request body names a key twice in one object.', {
      details: { issues: [{ path: '(root)', code: DUPLICATE_KEY }] },
    });
  }
  refuseUnstorable(body, options.perEvent ?? []);
  return parseInput(schema, body, 'The request body is invalid.');
}

/**
 * Reads the query string. An empty parameter (`?cursor=`, `?table=&since=`) is an absent one: PROTOCOL §6
 * spells its filters that way, and a client that fills in only the ones it has sends the rest empty.
 */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const query: Record<string, string> = {};
  for (const [name, values] of Object.entries(c.req.queries())) {
    const value = onlyValue(name, values);
    if (value !== undefined) query[name] = value;
  }
  refuseUnstorable(query, []);
  return parseInput(schema, query, 'The query string is invalid.');
}

/** One parameter of the query string, read by the rule of `readQuery` (empty is absent, twice is refused). */
export function readQueryValue(c: Context, name: string): string | undefined {
  return onlyValue(name, c.req.queries(name) ?? []);
}

/**
 * The one non-empty value of a parameter. No ClinicSync route gives a parameter a meaning when it repeats
 * (`?deviceId=a&deviceId=b` names two devices, `?limit=10&limit=20` two limits): keeping the first would answer
 * a question the client may not have meant, so a second value is `400 invalid_request` naming the parameter,
 * even an equal one. Empty values stay absent ones and never count.
 */
function onlyValue(name: string, values: readonly string[]): string | undefined {
  const given = values.filter((value) => value !== '');
  if (given.length > 1) {
    throw new ApiError('invalid_request', 'A query parameter is given more than once.', {
      details: { issues: [{ path: safePath(name), code: REPEATED_PARAMETER }] },
    });
  }
  return given[0];
}

/** The issue code of a JSON body whose object names one key twice. */
export const DUPLICATE_KEY = 'duplicate_key';

/** The issue code of a query parameter given more than once. */
export const REPEATED_PARAMETER = 'repeated';

/** A parameter's name as an issue path: bounded, and never text a database or log line could not hold. */
function safePath(name: string): string {
  const short = name.slice(0, 64);
  return isStorableText(short) ? short : '(query)';
}

/** Text no database column could hold (a NUL character, an unpaired surrogate) is a 400, whatever the route (protocol storable.ts). */
function refuseUnstorable(input: unknown, skip: readonly string[]): void {
  const path = findUnstorable(input, skip);
  if (path !== null) {
    throw new ApiError(
      'invalid_request',
      'The request holds text that cannot be stored (a NUL character or a broken character).',
      {
        details: { issues: [{ path, code: UNSTORABLE_TEXT }] },
      },
    );
  }
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new ApiError('invalid_request', message, { details: { issues: toIssues(parsed.error.issues) } });
  return parsed.data;
}
