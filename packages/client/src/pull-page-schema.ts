/**
 * The check of a pull answer (PROTOCOL §4) as the engine runs it: the
 * protocol's own `pullResponseSchema`, except that each change's `data` is
 * checked to be a plain object without being copied. Zod's record schema
 * builds a new object key by key for every row (a fifth of the client's
 * checking time of a first sync, bench/README.md), and the store reads only
 * the registry columns it knows from `data` (store/local-rows.ts), so the
 * parsed object itself is as good. Everything else is checked exactly as the
 * protocol says.
 */
import { changeSchema, pullResponseSchema, type PullResponse } from '@clinicsync/protocol';
import { z } from 'zod';

/** What JSON.parse makes of a JSON object: not null, not an array, with Object's prototype. */
function isJsonObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

const changeData = z.custom<Record<string, unknown>>(isJsonObject, { message: 'Expected an object' });

export const pullPageSchema: z.ZodType<PullResponse> = pullResponseSchema.extend({
  changes: z.array(changeSchema.extend({ data: changeData.nullable() })),
});
