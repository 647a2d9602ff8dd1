/**
 * The `schemaVersion` a client sends with push and pull (PROTOCOL §5). The
 * version gate of each route, not this schema, refuses a version above
 * `SCHEMA_VERSION` (`400 invalid_request` with `details.current`) or below the
 * server's minimum (`426 schema_upgrade_required`); the maximum is stated here
 * for the API reference only, so the reference says which versions are served.
 */
import { z } from 'zod';
import { MIN_SUPPORTED_SCHEMA_VERSION, SCHEMA_VERSION } from './registry/schema-versions.ts';

const RANGE = { minimum: MIN_SUPPORTED_SCHEMA_VERSION, maximum: SCHEMA_VERSION } as const;

/** In a JSON body (push). */
export const schemaVersionSchema = z.number().int().min(MIN_SUPPORTED_SCHEMA_VERSION).meta(RANGE);
/** In a query string (pull), where every value arrives as text. */
export const schemaVersionQuerySchema = z.coerce.number().int().min(MIN_SUPPORTED_SCHEMA_VERSION).meta(RANGE);
